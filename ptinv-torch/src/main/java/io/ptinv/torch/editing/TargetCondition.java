package io.ptinv.torch.editing;

import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.inversion.TorchTrajectory;
import io.ptinv.torch.unet.Conditioning;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * The condition an edit samples with at step i, from the trajectory's {@code c_t} and the target prompt's {@code c*}.
 * One embedding per step (PTI, NTI, DDIM): PTI's Eq. 9, {@code (1 - eta) c_t + eta c*}. One per step and layer
 * (TODInv): Eq. 10's renewed embedding {@code c*_{t,l} = tau(target) + (c_{t,l} - tau(source))}, reached by eta the
 * same way: {@code (1 - eta) c_{t,l} + eta c*_{t,l} = c_{t,l} + eta (tau(target) - tau(source))}, computed in that last
 * form so that a target prompt equal to the source gives back {@code c_{t,l}} bit for bit.
 */
final class TargetCondition {
  private final TorchTrajectory trajectory;
  private final Tensor cStar;
  private final Tensor delta;
  private final double eta;

  /**
   * @param cStar {@code tau(target)}, {@code [1, 77, D]}
   * @param eta in [0, 1]
   */
  TargetCondition(StableDiffusion model, TorchTrajectory trajectory, Tensor cStar, double eta) {
    this.trajectory = trajectory;
    this.cStar = cStar;
    this.eta = eta;
    this.delta = trajectory.layers() > 1 ? cStar.sub(model.encodePrompt(trajectory.prompt())) : null;
  }

  /** The source branch's condition: the trajectory's own (the reconstruction). */
  Conditioning source(int step) {
    return trajectory.conditioning(step);
  }

  /** The target branch's condition at step {@code step}. */
  Conditioning target(int step) {
    if (delta == null) {
      return Conditioning.shared(EditSampler.interpolate(trajectory.condTensor(step), cStar, eta));
    }
    if (eta == 0) {
      return trajectory.conditioning(step);
    }
    Tensor shift = eta == 1 ? delta : delta.mul(new Scalar(eta));
    return Conditioning.perLayerRows(trajectory.condTensor(step).add(shift)); // [L, 77, D] + [1, 77, D]
  }
}
