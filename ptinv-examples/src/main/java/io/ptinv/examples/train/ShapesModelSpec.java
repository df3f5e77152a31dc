package io.ptinv.examples.train;

import com.fasterxml.jackson.databind.node.IntNode;
import io.ptinv.torch.text.ClipTextConfig;
import io.ptinv.torch.unet.UNetConfig;
import io.ptinv.torch.vae.VaeConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Architecture of the shipped shapes model: SD v1's family at a size that trains on CPU. 64x64 images, a
 * VAE with 3 levels (x4: 16x16x4 latents), a CLIP-style text encoder on CLIP's own BPE vocabulary, and a
 * 3-level UNet with cross-attention at the two finer levels. Each config is written in diffusers' format.
 */
public final class ShapesModelSpec {
  private ShapesModelSpec() {}

  public static final int IMAGE = 64;

  public static VaeConfig vae(double scalingFactor) {
    return new VaeConfig(3, 3, List.of(32, 64, 64), 1, 4, 32, IMAGE, scalingFactor);
  }

  public static ClipTextConfig text() {
    return new ClipTextConfig(49408, 64, 128, 4, 2, 77, 1e-5, "quick_gelu");
  }

  public static UNetConfig unet() {
    return new UNetConfig(4, 4, IMAGE / 4, List.of(64, 96, 128),
        List.of("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
        List.of("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
        1, IntNode.valueOf(4), null, 64, 32, 1e-5, true, 0, false);
  }

  /** diffusers' {@code vae/config.json}. */
  static Map<String, Object> vaeJson(VaeConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("_class_name", "AutoencoderKL");
    m.put("in_channels", c.inChannels());
    m.put("out_channels", c.outChannels());
    m.put("down_block_types", java.util.Collections.nCopies(c.blockOutChannels().size(), "DownEncoderBlock2D"));
    m.put("up_block_types", java.util.Collections.nCopies(c.blockOutChannels().size(), "UpDecoderBlock2D"));
    m.put("block_out_channels", c.blockOutChannels());
    m.put("layers_per_block", c.layersPerBlock());
    m.put("act_fn", "silu");
    m.put("latent_channels", c.latentChannels());
    m.put("norm_num_groups", c.normNumGroups());
    m.put("sample_size", c.sampleSize());
    m.put("scaling_factor", c.scalingFactor());
    return m;
  }

  static Map<String, Object> textJson(ClipTextConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("architectures", List.of("CLIPTextModel"));
    m.put("model_type", "clip_text_model");
    m.put("vocab_size", c.vocabSize());
    m.put("hidden_size", c.hiddenSize());
    m.put("intermediate_size", c.intermediateSize());
    m.put("num_attention_heads", c.numAttentionHeads());
    m.put("num_hidden_layers", c.numHiddenLayers());
    m.put("max_position_embeddings", c.maxPositionEmbeddings());
    m.put("layer_norm_eps", c.layerNormEps());
    m.put("hidden_act", c.hiddenAct());
    m.put("bos_token_id", 0);
    m.put("eos_token_id", 2);
    m.put("pad_token_id", 1);
    m.put("torch_dtype", "float32");
    return m;
  }

  static Map<String, Object> unetJson(UNetConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("_class_name", "UNet2DConditionModel");
    m.put("sample_size", c.sampleSize());
    m.put("in_channels", c.inChannels());
    m.put("out_channels", c.outChannels());
    m.put("flip_sin_to_cos", c.flipSinToCos());
    m.put("freq_shift", c.freqShift());
    m.put("down_block_types", c.downBlockTypes());
    m.put("mid_block_type", "UNetMidBlock2DCrossAttn");
    m.put("up_block_types", c.upBlockTypes());
    m.put("block_out_channels", c.blockOutChannels());
    m.put("layers_per_block", c.layersPerBlock());
    m.put("downsample_padding", 1);
    m.put("act_fn", "silu");
    m.put("norm_num_groups", c.normNumGroups());
    m.put("norm_eps", c.normEps());
    m.put("cross_attention_dim", c.crossAttentionDim());
    m.put("attention_head_dim", c.heads().get(0));
    m.put("use_linear_projection", c.useLinearProjection());
    return m;
  }

  static Map<String, Object> schedulerJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("_class_name", "DDIMScheduler");
    m.put("beta_start", 0.00085);
    m.put("beta_end", 0.012);
    m.put("beta_schedule", "scaled_linear");
    m.put("num_train_timesteps", 1000);
    m.put("clip_sample", false);
    m.put("set_alpha_to_one", false);
    m.put("steps_offset", 1);
    m.put("prediction_type", "epsilon");
    return m;
  }
}
