package io.ptinv.torch.sampling;

import io.ptinv.Schedule;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Deterministic DDIM (eta = 0, epsilon prediction) over a {@link Schedule} sub-sampled to {@code steps}.
 *
 * <p>Step from t to {@code t' = t - T/steps} (Song et al. 2021, Eq. 12 with sigma = 0):
 * {@code x0 = (z_t - sqrt(1 - a_t) eps) / sqrt(a_t)}, {@code z_t' = sqrt(a_t') x0 + sqrt(1 - a_t') eps}.
 * The inversion step runs the same map backwards in time, from level {@code t - T/steps} to t with eps
 * evaluated at (z, t), as in Null-Text Inversion's code.
 */
public final class DdimScheduler {
  private final Schedule schedule;
  private final int steps;
  private final int[] timesteps;

  public DdimScheduler(Schedule schedule, int steps) {
    this.schedule = schedule;
    this.steps = steps;
    this.timesteps = schedule.timesteps(steps);
  }

  public Schedule schedule() {
    return schedule;
  }

  public int steps() {
    return steps;
  }

  /** Timesteps, noisiest first. */
  public int[] timesteps() {
    return timesteps.clone();
  }

  /** One denoising step from {@code t} to {@code t - T/steps}. */
  public Tensor step(Tensor z, Tensor eps, int t) {
    return move(z, eps, schedule.alphaBar(t), schedule.alphaBar(schedule.previousTimestep(t, steps)));
  }

  /** One inversion step from level {@code t - T/steps} up to {@code t}; {@code eps} is evaluated at (z, t). */
  public Tensor invertStep(Tensor z, Tensor eps, int t) {
    return move(z, eps, schedule.alphaBar(schedule.previousTimestep(t, steps)), schedule.alphaBar(t));
  }

  /** {@code sqrt(aTo) * (z - sqrt(1 - aFrom) eps) / sqrt(aFrom) + sqrt(1 - aTo) eps}. */
  private static Tensor move(Tensor z, Tensor eps, double aFrom, double aTo) {
    Tensor x0 = z.sub(eps.mul(new Scalar(Math.sqrt(1 - aFrom)))).div(new Scalar(Math.sqrt(aFrom)));
    return x0.mul(new Scalar(Math.sqrt(aTo))).add(eps.mul(new Scalar(Math.sqrt(1 - aTo))));
  }
}
