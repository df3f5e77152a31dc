package io.ptinv.torch.editing;

import io.ptinv.EditOptions.Interpolation;
import io.ptinv.Stage;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.inversion.TorchTrajectory;
import io.ptinv.torch.sampling.DdimScheduler;
import io.ptinv.torch.sampling.Guidance;
import io.ptinv.torch.sampling.StageProgress;
import io.ptinv.torch.unet.AttentionControl;
import io.ptinv.torch.unet.AttentionStore;
import io.ptinv.torch.unet.Conditioning;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Samples an edit from a trajectory's {@code z*_T} without attention replacement. With {@link
 * Interpolation#CONDITION} (the paper's Eq. 9) step i uses {@code c = (1 - eta) c_t + eta c*} ({@link
 * TargetCondition}: per layer and with Eq. 10's renewed target for TODInv) with the trajectory's unconditional
 * embedding: eta = 0 is the reconstruction, op for op, and eta = 1 is DDIM-Edit (inversion, then the target prompt).
 * With {@link Interpolation#LATENT} every step samples with the target condition and the latent is pulled back
 * towards the inversion: {@code z_{t-1} <- (1 - eta) z*_{t-1} + eta z_{t-1}}.
 */
public final class EditSampler {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EditSampler.class);

  private EditSampler() {}

  /**
   * @param cStar the target prompt's embedding {@code [1, 77, D]}
   * @return the edited latent z_0, attached to the caller's scope
   */
  public static Tensor sample(StableDiffusion model, TorchTrajectory trajectory, Tensor cStar, double eta,
      Interpolation interpolation, EditControls controls, StageProgress progress) {
    PointerScope outer = PointerScope.getInnerScope();
    if (outer == null) {
      throw new IllegalStateException("sample inside a PointerScope");
    }
    int n = trajectory.steps();
    DdimScheduler ddim = new DdimScheduler(trajectory.schedule(), n);
    double w = trajectory.options().guidanceScale();
    LocalBlend blend = controls.blend();
    progress.stage(Stage.EDIT, n);
    Tensor z = trajectory.latentTensor(n);
    Tensor zRec = z;
    TargetCondition target = new TargetCondition(model, trajectory, cStar,
        interpolation == Interpolation.LATENT ? 1 : eta);
    for (int i = 0; i < n; i++) {
      int t = trajectory.timestep(i);
      Tensor u = trajectory.uncondTensor(i);
      try (PointerScope step = new PointerScope(); NoGradGuard noGrad = new NoGradGuard();
          AttentionStore editMaps = blend == null ? null : blend.newStore(z.size(2));
          AttentionStore sourceMaps = blend == null || !blend.usesSource() ? null : blend.newStore(z.size(2))) {
        Conditioning c = target.target(i);
        Tensor next = ddim.step(z, Guidance.epsSeparate(model.unet(), z, t, u, c, w, controls.editBranch(editMaps)), t);
        if (interpolation == Interpolation.LATENT) {
          next = interpolate(trajectory.latentTensor(n - 1 - i), next, eta);
        }
        if (blend != null) {
          // the reconstruction branch (eta = 0) runs alongside; outside the mask the edit follows it
          AttentionControl src = sourceMaps == null ? AttentionControl.NONE : sourceMaps;
          Tensor recNext = ddim.step(zRec, Guidance.epsSeparate(model.unet(), zRec, t, u, target.source(i), w, src), t);
          if (LocalBlend.active(i, n)) {
            Tensor mask = blend.mask(editMaps, sourceMaps, next.size(2), next.size(3));
            if (LOG.isDebugEnabled()) {
              LOG.debug("step {}/{}: local-blend mask covers {}% of the latent", i + 1, n,
                  Math.round(mask.mean().item_double() * 1000) / 10.0);
            }
            next = LocalBlend.blend(recNext, next, mask);
          }
          outer.attach(recNext);
          zRec = recNext;
        }
        outer.attach(next);
        z = next;
      }
      progress.step();
    }
    return z;
  }

  /** {@code (1 - eta) a + eta b}, exactly a at eta = 0 and exactly b at eta = 1. */
  static Tensor interpolate(Tensor a, Tensor b, double eta) {
    if (eta == 0) {
      return a;
    }
    if (eta == 1) {
      return b;
    }
    return a.mul(new Scalar(1 - eta)).add(b.mul(new Scalar(eta)));
  }
}
