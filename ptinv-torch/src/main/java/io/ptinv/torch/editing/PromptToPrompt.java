package io.ptinv.torch.editing;

import io.ptinv.P2pOptions;
import io.ptinv.torch.unet.AttentionControl;
import io.ptinv.torch.unet.AttentionSite;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Prompt-to-Prompt's attention control (Hertz et al. 2023) on a conditional UNet call whose batch is
 * {@code [source, target]}. During the first {@link P2pOptions#crossReplaceSteps} steps the target's cross-attention
 * maps become the source's, aligned by {@link TokenAlignment} (replace or refine) and, with re-weighting, multiplied
 * per target token (the reference re-weights the replaced maps, so only in those steps). During the first {@link
 * P2pOptions#selfReplaceSteps} steps the target's self-attention maps become the source's in the layers below full
 * latent resolution (the reference's {@code <= 32^2} queries at 512^2). The source row is never changed. A
 * downstream control (a store for local blending) sees the maps before replacement, as the reference's store does.
 */
public final class PromptToPrompt implements AttentionControl {
  private final TokenAlignment alignment;
  private final float[] equalizer;
  private final int crossSteps;
  private final int selfSteps;
  private final AttentionControl downstream;
  private int step;

  /**
   * @param equalizer per target token factor (77 values), or null for no re-weighting
   * @param steps the edit's DDIM steps
   * @param downstream sees every call's maps after replacement (may be {@link AttentionControl#NONE})
   */
  public PromptToPrompt(TokenAlignment alignment, float[] equalizer, P2pOptions options, int steps,
      AttentionControl downstream) {
    this.alignment = alignment;
    this.equalizer = equalizer == null ? null : equalizer.clone();
    this.crossSteps = options.crossReplaceSteps(steps);
    this.selfSteps = options.selfReplaceSteps(steps);
    this.downstream = downstream == null ? AttentionControl.NONE : downstream;
  }

  /** Sets the step (0 = noisiest) the next UNet call belongs to. */
  public void step(int i) {
    this.step = i;
  }

  private boolean replacesSelf(AttentionSite site) {
    return !site.cross() && step < selfSteps && site.downsampling() >= 1;
  }

  @Override
  public boolean wantsProbabilities(AttentionSite site) {
    return (site.cross() && step < crossSteps) || replacesSelf(site) || downstream.wantsProbabilities(site);
  }

  @Override
  public Tensor onProbabilities(AttentionSite site, Tensor probabilities) {
    // the downstream control (a store) sees the maps before replacement, as the reference's store does
    Tensor out = downstream.wantsProbabilities(site) ? downstream.onProbabilities(site, probabilities) : probabilities;
    if (site.cross() && step < crossSteps) {
      Tensor source = out.select(0, 0);
      Tensor replaced = alignment.apply(source, out.select(0, 1));
      if (equalizer != null) {
        replaced = replaced.mul(Tensor.create(equalizer, equalizer.length).to(replaced.device(), replaced.scalar_type()));
      }
      out = torch.stack(new TensorVector(source, replaced), 0);
    } else if (replacesSelf(site)) {
      Tensor source = out.select(0, 0);
      out = torch.stack(new TensorVector(source, source), 0);
    }
    return out;
  }

  @Override
  public Tensor[] onSelfAttentionKeyValue(AttentionSite site, Tensor keys, Tensor values) {
    return downstream.onSelfAttentionKeyValue(site, keys, values);
  }
}
