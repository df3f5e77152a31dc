package io.ptinv;

import com.google.common.base.Preconditions;

/**
 * How to edit: the inversion that precedes it, the interpolation weight {@code eta} of the paper's Eq. 9
 * ({@code c = (1 - eta) c_t + eta c*}: 0 reconstructs the input, 1 is plain DDIM-Edit; default 0.9), what
 * is interpolated (the condition, as the paper does, or the latents, the weaker alternative it discusses)
 * and the random seed for anything stochastic.
 */
public record EditOptions(InversionOptions inversion, double eta, Interpolation interpolation, long seed) {

  /** What {@code eta} interpolates. */
  public enum Interpolation {
    /** {@code c = (1 - eta) c_t + eta c*} at every step (the paper's Eq. 9; default). */
    CONDITION,
    /** Sample with c* and pull each latent back: {@code z_t <- (1 - eta) z*_t + eta z_t} (weaker). */
    LATENT
  }

  public static final double DEFAULT_ETA = 0.9;

  public EditOptions {
    Preconditions.checkNotNull(inversion, "inversion");
    Preconditions.checkNotNull(interpolation, "interpolation");
    checkEta(eta);
  }

  /** Throws {@link InvalidInputException} unless {@code eta} is in [0, 1]. */
  public static void checkEta(double eta) {
    InvalidInputException.check(eta >= 0 && eta <= 1, "eta", "a value in [0, 1]", eta);
  }

  public static EditOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The same options with another eta. */
  public EditOptions withEta(double newEta) {
    return new EditOptions(inversion, newEta, interpolation, seed);
  }

  /** Builder; the inversion settings can be set here directly or as a whole with {@link #inversion}. */
  public static final class Builder {
    private InversionOptions.Builder inversion = InversionOptions.builder();
    private double eta = DEFAULT_ETA;
    private long seed = 0;
    private Interpolation interpolation = Interpolation.CONDITION;

    private Builder() {}

    public Builder inversion(InversionOptions options) {
      this.inversion = options.toBuilder();
      return this;
    }

    public Builder steps(int steps) {
      inversion.steps(steps);
      return this;
    }

    public Builder guidanceScale(double guidanceScale) {
      inversion.guidanceScale(guidanceScale);
      return this;
    }

    public Builder innerSteps(int innerSteps) {
      inversion.innerSteps(innerSteps);
      return this;
    }

    public Builder learningRate(double learningRate) {
      inversion.learningRate(learningRate);
      return this;
    }

    public Builder method(InversionMethod method) {
      inversion.method(method);
      return this;
    }

    public Builder eta(double eta) {
      this.eta = eta;
      return this;
    }

    public Builder interpolation(Interpolation interpolation) {
      this.interpolation = interpolation;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public EditOptions build() {
      return new EditOptions(inversion.build(), eta, interpolation, seed);
    }
  }
}
