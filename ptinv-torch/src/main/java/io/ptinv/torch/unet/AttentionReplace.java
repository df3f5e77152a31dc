package io.ptinv.torch.unet;

import io.ptinv.InvalidInputException;
import java.util.Arrays;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * "Replace maps" (Prompt-to-Prompt's word swap): the cross-attention probabilities of the given layers are
 * replaced by stored ones (e.g. the source prompt's, from an {@link AttentionStore}), so that the new
 * prompt's values are placed where the source's words attended. Other layers run unchanged; an optional
 * downstream control (e.g. a store) sees the maps after replacement.
 */
public final class AttentionReplace implements AttentionControl {
  private final Map<Integer, Tensor> replacements;
  private final AttentionControl downstream;

  public AttentionReplace(Map<Integer, Tensor> replacements, AttentionControl downstream) {
    this.replacements = Map.copyOf(replacements);
    this.downstream = downstream == null ? AttentionControl.NONE : downstream;
  }

  @Override
  public boolean wantsProbabilities(AttentionSite site) {
    return (site.cross() && replacements.containsKey(site.crossIndex())) || downstream.wantsProbabilities(site);
  }

  @Override
  public Tensor onProbabilities(AttentionSite site, Tensor probabilities) {
    Tensor out = probabilities;
    Tensor replacement = site.cross() ? replacements.get(site.crossIndex()) : null;
    if (replacement != null) {
      InvalidInputException.check(Arrays.equals(replacement.shape(), probabilities.shape()), "attention replacement",
          "shape " + Arrays.toString(probabilities.shape()) + " at " + site.name(), Arrays.toString(replacement.shape()));
      out = replacement.to(probabilities.device(), probabilities.scalar_type());
    }
    return downstream.wantsProbabilities(site) ? downstream.onProbabilities(site, out) : out;
  }

  @Override
  public Tensor[] onSelfAttentionKeyValue(AttentionSite site, Tensor keys, Tensor values) {
    return downstream.onSelfAttentionKeyValue(site, keys, values);
  }
}
