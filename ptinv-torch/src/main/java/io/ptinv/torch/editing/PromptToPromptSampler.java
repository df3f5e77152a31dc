package io.ptinv.torch.editing;

import io.ptinv.P2pOptions;
import io.ptinv.Stage;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.inversion.TorchTrajectory;
import io.ptinv.torch.sampling.DdimScheduler;
import io.ptinv.torch.sampling.Guidance;
import io.ptinv.torch.sampling.StageProgress;
import io.ptinv.torch.unet.AttentionControl;
import io.ptinv.torch.unet.AttentionStore;
import io.ptinv.torch.unet.Conditioning;
import io.ptinv.torch.unet.UNet2DConditionModel;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Prompt-to-Prompt editing after any inversion: from the trajectory's {@code z*_T} a source branch (the trajectory's
 * own condition: the reconstruction) and a target branch ({@link TargetCondition}) are sampled together, as one
 * batch of two per UNet call: the unconditional call for both branches, then the conditional call under {@link
 * PromptToPrompt}. With local blending, from 20% of the steps on, the target latent follows the source outside the
 * mask of the blend words ({@link LocalBlend#mask(AttentionStore, long, long)}).
 */
public final class PromptToPromptSampler {
  private PromptToPromptSampler() {}

  /**
   * @param cStar {@code tau(target)}, {@code [1, 77, D]}
   * @param alignment source (the trajectory's prompt) to target tokens
   * @param equalizer per target token factor, or null
   * @param blend local blending (edit positions in the target, source positions in the trajectory's prompt), or null
   * @return the target branch's z_0, attached to the caller's scope
   */
  public static Tensor sample(StableDiffusion model, TorchTrajectory trajectory, Tensor cStar, double eta,
      TokenAlignment alignment, float[] equalizer, LocalBlend blend, P2pOptions options, StageProgress progress) {
    return samplePair(model, trajectory, cStar, eta, alignment, equalizer, blend, options, progress).narrow(0, 1, 1);
  }

  /** Both branches' z_0, {@code [source, target]}. */
  static Tensor samplePair(StableDiffusion model, TorchTrajectory trajectory, Tensor cStar, double eta,
      TokenAlignment alignment, float[] equalizer, LocalBlend blend, P2pOptions options, StageProgress progress) {
    PointerScope outer = PointerScope.getInnerScope();
    if (outer == null) {
      throw new IllegalStateException("sample inside a PointerScope");
    }
    int n = trajectory.steps();
    UNet2DConditionModel unet = model.unet();
    DdimScheduler ddim = new DdimScheduler(trajectory.schedule(), n);
    double w = trajectory.options().guidanceScale();
    TargetCondition condition = new TargetCondition(model, trajectory, cStar, eta);
    progress.stage(Stage.EDIT, n);
    Tensor z = torch.cat(new TensorVector(trajectory.latentTensor(n), trajectory.latentTensor(n)), 0);
    for (int i = 0; i < n; i++) {
      int t = trajectory.timestep(i);
      try (PointerScope step = new PointerScope(); NoGradGuard noGrad = new NoGradGuard();
          AttentionStore maps = blend == null ? null : blend.newStore(z.size(2))) {
        PromptToPrompt control = new PromptToPrompt(alignment, equalizer, options, n,
            maps == null ? AttentionControl.NONE : maps);
        control.step(i);
        Tensor u = trajectory.uncondTensor(i);
        Tensor epsU = unet.forward(z, t, Conditioning.shared(torch.cat(new TensorVector(u, u), 0)));
        Tensor epsC = unet.forward(z, t, pair(unet, condition.source(i), condition.target(i)), control);
        Tensor next = ddim.step(z, Guidance.combine(epsU, epsC, w), t);
        if (blend != null && LocalBlend.active(i, n)) {
          Tensor mask = blend.mask(maps, next.size(2), next.size(3));
          Tensor src = next.narrow(0, 0, 1);
          next = torch.cat(new TensorVector(src, LocalBlend.blend(src, next.narrow(0, 1, 1), mask)), 0);
        }
        outer.attach(next);
        z = next;
      }
      progress.step();
    }
    return z;
  }

  /** One conditioning for the {@code [source, target]} batch: per layer if either side is. */
  static Conditioning pair(UNet2DConditionModel unet, Conditioning source, Conditioning target) {
    if (!source.isPerLayer() && !target.isPerLayer()) {
      return Conditioning.shared(torch.cat(new TensorVector(source.context(0), target.context(0)), 0));
    }
    List<Tensor> contexts = new ArrayList<>();
    for (int l = 0; l < unet.crossAttentionLayers().size(); l++) {
      contexts.add(torch.cat(new TensorVector(source.context(l), target.context(l)), 0));
    }
    return Conditioning.perLayer(contexts);
  }
}
