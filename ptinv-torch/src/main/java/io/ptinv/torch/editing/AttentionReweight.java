package io.ptinv.torch.editing;

import io.ptinv.torch.unet.AttentionControl;
import io.ptinv.torch.unet.AttentionSite;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Attention re-weighting (Prompt-to-Prompt's equalizer): multiplies the cross-attention probabilities of
 * chosen token positions by their factors at every cross-attention layer, without renormalising, so that a
 * word's effect is strengthened (&gt; 1) or weakened (&lt; 1). Then hands the maps to a downstream control.
 */
public final class AttentionReweight implements AttentionControl {
  private final float[] equalizer;
  private final AttentionControl downstream;

  /** @param factors token position (0..76) to factor */
  public AttentionReweight(Map<Integer, Double> factors, int tokens, AttentionControl downstream) {
    this.equalizer = new float[tokens];
    java.util.Arrays.fill(equalizer, 1f);
    factors.forEach((pos, f) -> equalizer[pos] = f.floatValue());
    this.downstream = downstream == null ? AttentionControl.NONE : downstream;
  }

  @Override
  public boolean wantsProbabilities(AttentionSite site) {
    return site.cross() || downstream.wantsProbabilities(site);
  }

  @Override
  public Tensor onProbabilities(AttentionSite site, Tensor probabilities) {
    Tensor out = probabilities;
    if (site.cross()) {
      Tensor eq = Tensor.create(equalizer, equalizer.length).to(probabilities.device(), probabilities.scalar_type());
      out = probabilities.mul(eq);
    }
    return downstream.wantsProbabilities(site) ? downstream.onProbabilities(site, out) : out;
  }

  @Override
  public Tensor[] onSelfAttentionKeyValue(AttentionSite site, Tensor keys, Tensor values) {
    return downstream.onSelfAttentionKeyValue(site, keys, values);
  }

}
