package io.ptinv.torch.unet;

/**
 * One attention layer of the UNet, as an {@link AttentionControl} sees it.
 *
 * @param name diffusers module name, e.g. {@code up_blocks.1.attentions.0.transformer_blocks.0.attn2}
 * @param cross true for cross-attention (attn2: queries from the image, keys/values from the text)
 * @param crossIndex index among the cross-attention layers in {@link UNet2DConditionModel#crossAttentionLayers()}
 *     order, or -1 for self-attention
 * @param downsampling how many times the latent was halved at this layer (0 = full latent resolution)
 * @param heads attention heads
 */
public record AttentionSite(String name, boolean cross, int crossIndex, int downsampling, int heads) {}
