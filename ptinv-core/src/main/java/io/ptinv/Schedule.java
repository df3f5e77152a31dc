package io.ptinv;

import com.google.common.base.Preconditions;
import java.util.Objects;

/**
 * The noise schedule of a latent diffusion model and its DDIM sub-sampling, in pure Java.
 *
 * <p>Stable Diffusion v1 uses {@link #stableDiffusion()}: 1000 training steps and "scaled linear" betas
 * {@code beta_i = linspace(sqrt(0.00085), sqrt(0.012), 1000)_i^2} (computed in float64), with
 * {@code alphaBar(t) = prod_{i<=t} (1 - beta_i)}. DDIM with {@code n} steps visits the timesteps
 * {@code (n-1-k) * (1000/n) + stepsOffset} for {@code k = 0..n-1} (50 steps: 981, 961, ..., 1), and the step
 * from {@code t} goes to {@code t - 1000/n}, where {@code alphaBar(t < 0) = alphaBar(0)} unless
 * {@code setAlphaToOne} (then 1).
 *
 * <p>Immutable; equal schedules give equal numbers.
 */
public final class Schedule {

  /** How the betas are spaced between {@code betaStart} and {@code betaEnd}. */
  public enum BetaSchedule {
    /** {@code linspace(sqrt(start), sqrt(end), T)^2}, Stable Diffusion's choice. */
    SCALED_LINEAR,
    /** {@code linspace(start, end, T)}. */
    LINEAR
  }

  private final int trainTimesteps;
  private final double betaStart;
  private final double betaEnd;
  private final BetaSchedule betaSchedule;
  private final int stepsOffset;
  private final boolean setAlphaToOne;
  private final double[] alphasCumprod;

  private Schedule(
      int trainTimesteps,
      double betaStart,
      double betaEnd,
      BetaSchedule betaSchedule,
      int stepsOffset,
      boolean setAlphaToOne) {
    InvalidInputException.check(trainTimesteps >= 2, "trainTimesteps", "at least 2", trainTimesteps);
    InvalidInputException.check(
        betaStart > 0 && betaEnd < 1 && betaStart <= betaEnd,
        "betas",
        "0 < betaStart <= betaEnd < 1",
        betaStart + ".." + betaEnd);
    InvalidInputException.check(
        stepsOffset >= 0 && stepsOffset < trainTimesteps, "stepsOffset", "in [0, trainTimesteps)", stepsOffset);
    this.trainTimesteps = trainTimesteps;
    this.betaStart = betaStart;
    this.betaEnd = betaEnd;
    this.betaSchedule = Preconditions.checkNotNull(betaSchedule, "betaSchedule");
    this.stepsOffset = stepsOffset;
    this.setAlphaToOne = setAlphaToOne;
    this.alphasCumprod = cumulativeAlphas(betas(trainTimesteps, betaStart, betaEnd, betaSchedule));
  }

  /** Stable Diffusion v1's DDIM schedule: 1000 steps, scaled-linear betas 0.00085..0.012, offset 1, no alpha-to-one. */
  public static Schedule stableDiffusion() {
    return of(1000, 0.00085, 0.012, BetaSchedule.SCALED_LINEAR, 1, false);
  }

  /** A schedule from a scheduler config's values (validated). */
  public static Schedule of(
      int trainTimesteps,
      double betaStart,
      double betaEnd,
      BetaSchedule betaSchedule,
      int stepsOffset,
      boolean setAlphaToOne) {
    return new Schedule(trainTimesteps, betaStart, betaEnd, betaSchedule, stepsOffset, setAlphaToOne);
  }

  private static double[] betas(int n, double start, double end, BetaSchedule kind) {
    double[] betas = new double[n];
    for (int i = 0; i < n; i++) {
      double f = (double) i / (n - 1);
      betas[i] =
          switch (kind) {
            case LINEAR -> start + f * (end - start);
            case SCALED_LINEAR -> {
              double s = Math.sqrt(start) + f * (Math.sqrt(end) - Math.sqrt(start));
              yield s * s;
            }
          };
    }
    return betas;
  }

  private static double[] cumulativeAlphas(double[] betas) {
    double[] out = new double[betas.length];
    double prod = 1.0;
    for (int i = 0; i < betas.length; i++) {
      prod *= 1.0 - betas[i];
      out[i] = prod;
    }
    return out;
  }

  /**
   * @return the number of training timesteps (1000 for SD)
   */
  public int trainTimesteps() {
    return trainTimesteps;
  }

  /**
   * @return the first beta
   */
  public double betaStart() {
    return betaStart;
  }

  /**
   * @return the last beta
   */
  public double betaEnd() {
    return betaEnd;
  }

  /**
   * @return how betas go from start to end
   */
  public BetaSchedule betaSchedule() {
    return betaSchedule;
  }

  /**
   * @return the offset added to every DDIM timestep (1 for SD v1)
   */
  public int stepsOffset() {
    return stepsOffset;
  }

  /**
   * @return whether alpha before the first timestep is 1 (false for SD v1)
   */
  public boolean setAlphaToOne() {
    return setAlphaToOne;
  }

  /** {@code alphaBar(t)} for {@code t} in [0, T); for {@code t < 0} the "final" alpha (see class comment). */
  public double alphaBar(int t) {
    InvalidInputException.check(t < trainTimesteps, "t", "a timestep below " + trainTimesteps, t);
    if (t < 0) {
      return setAlphaToOne ? 1.0 : alphasCumprod[0];
    }
    return alphasCumprod[t];
  }

  /** A copy of {@code alphaBar(0..T-1)}. */
  public double[] alphasCumprod() {
    return alphasCumprod.clone();
  }

  /** The distance between two consecutive DDIM timesteps for {@code steps} inference steps. */
  public int stride(int steps) {
    checkSteps(steps);
    return trainTimesteps / steps;
  }

  /** DDIM timesteps for {@code steps} inference steps, from the noisiest down (50 steps: 981, 961, ..., 1). */
  public int[] timesteps(int steps) {
    int stride = stride(steps);
    int[] ts = new int[steps];
    for (int k = 0; k < steps; k++) {
      ts[k] = (steps - 1 - k) * stride + stepsOffset;
    }
    return ts;
  }

  /** The timestep a DDIM step from {@code t} lands on: {@code t - T/steps} (may be negative). */
  public int previousTimestep(int t, int steps) {
    return t - stride(steps);
  }

  private void checkSteps(int steps) {
    InvalidInputException.check(
        steps >= 1 && steps <= trainTimesteps, "steps", "in [1, " + trainTimesteps + "]", steps);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schedule s
        && s.trainTimesteps == trainTimesteps
        && s.betaStart == betaStart
        && s.betaEnd == betaEnd
        && s.betaSchedule == betaSchedule
        && s.stepsOffset == stepsOffset
        && s.setAlphaToOne == setAlphaToOne;
  }

  @Override
  public int hashCode() {
    return Objects.hash(trainTimesteps, betaStart, betaEnd, betaSchedule, stepsOffset, setAlphaToOne);
  }

  @Override
  public String toString() {
    return "Schedule[T=" + trainTimesteps + ", betas=" + betaSchedule + " " + betaStart + ".." + betaEnd
        + ", stepsOffset=" + stepsOffset + ", setAlphaToOne=" + setAlphaToOne + "]";
  }

}
