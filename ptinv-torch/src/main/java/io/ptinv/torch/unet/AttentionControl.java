package io.ptinv.torch.unet;

import org.bytedeco.pytorch.Tensor;

/**
 * The attention seam of the UNet: local blending and Prompt-to-Prompt read or replace cross-attention
 * probabilities, MasaCtrl-style methods replace self-attention keys and values. Layers for which {@link
 * #wantsProbabilities} is false use the fused attention kernel and never materialise probabilities.
 */
public interface AttentionControl {

  /** No control: fused attention everywhere. */
  AttentionControl NONE = new AttentionControl() {};

  /** Whether {@link #onProbabilities} should be called for this layer (default: never). */
  default boolean wantsProbabilities(AttentionSite site) {
    return false;
  }

  /**
   * @param probabilities softmax attention {@code [B, heads, Nq, Nk]} (B includes the CFG halves)
   * @return the probabilities to use: the same tensor, or a replacement of the same shape
   */
  default Tensor onProbabilities(AttentionSite site, Tensor probabilities) {
    return probabilities;
  }

  /**
   * Self-attention only: may replace keys and values {@code [B, N, inner]} (e.g. with those of a source
   * image's pass). Returns {@code null} to keep them.
   */
  default Tensor[] onSelfAttentionKeyValue(AttentionSite site, Tensor keys, Tensor values) {
    return null;
  }
}
