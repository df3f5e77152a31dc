package io.ptinv;

import com.google.common.base.Preconditions;
import io.ptinv.image.SizePolicy;

/**
 * How to invert an image and tune its text condition. Defaults are the paper's: 50 DDIM steps, guidance
 * {@code w = 7.5}, {@code N = 1} inner step, learning rate {@code beta = 0.1} with Adam.
 *
 * @param steps DDIM steps T (the inversion visits T + 1 latents)
 * @param guidanceScale classifier-free guidance scale w used while tuning and editing
 * @param innerSteps N: optimiser steps per timestep
 * @param learningRate beta: the optimiser's learning rate
 * @param optimizer Adam (default) or plain gradient descent
 * @param method PTI (default), NTI, plain DDIM or TODInv
 * @param sizePolicy how input images are brought to a size the model accepts
 * @param nullTextInnerSteps NTI: at most this many Adam steps per timestep (default 10)
 * @param nullTextLearningRate NTI: base learning rate, decayed as lr (1 - i/100) at step i (default 0.01)
 * @param nullTextEarlyStop NTI: a timestep stops once its loss is below this + i * 2e-5 (default 1e-5)
 * @param todinv TODInv's settings (used with {@link InversionMethod#TODINV}; null means {@link TodInvOptions#defaults()})
 */
public record InversionOptions(
    int steps,
    double guidanceScale,
    int innerSteps,
    double learningRate,
    OptimizerKind optimizer,
    InversionMethod method,
    SizePolicy sizePolicy,
    int nullTextInnerSteps,
    double nullTextLearningRate,
    double nullTextEarlyStop,
    TodInvOptions todinv) {

  /** DDIM steps T of the paper's experiments. */
  public static final int DEFAULT_STEPS = 50;
  /** Classifier-free guidance scale w of the paper's experiments. */
  public static final double DEFAULT_GUIDANCE_SCALE = 7.5;
  /** Optimiser steps N per timestep of the paper's experiments. */
  public static final int DEFAULT_INNER_STEPS = 1;
  /** Learning rate beta of the paper's experiments. */
  public static final double DEFAULT_LEARNING_RATE = 0.1;

  /** Validates every option; throws {@link InvalidInputException} naming the bad one. */
  public InversionOptions {
    InvalidInputException.check(steps >= 1 && steps <= 1000, "steps", "an integer in [1, 1000]", steps);
    InvalidInputException.check(
        guidanceScale >= 0 && Double.isFinite(guidanceScale), "guidanceScale", "a finite value >= 0", guidanceScale);
    InvalidInputException.check(innerSteps >= 0, "innerSteps", "an integer >= 0", innerSteps);
    InvalidInputException.check(
        learningRate > 0 && Double.isFinite(learningRate), "learningRate", "a finite value > 0", learningRate);
    Preconditions.checkNotNull(optimizer, "optimizer");
    Preconditions.checkNotNull(method, "method");
    Preconditions.checkNotNull(sizePolicy, "sizePolicy");
    InvalidInputException.check(nullTextInnerSteps >= 0, "nullTextInnerSteps", "an integer >= 0", nullTextInnerSteps);
    InvalidInputException.check(nullTextLearningRate > 0 && Double.isFinite(nullTextLearningRate),
        "nullTextLearningRate", "a finite value > 0", nullTextLearningRate);
    InvalidInputException.check(nullTextEarlyStop >= 0, "nullTextEarlyStop", "a value >= 0", nullTextEarlyStop);
    todinv = todinv == null ? TodInvOptions.defaults() : todinv; // files written before TODInv lack it
  }

  /** The paper's defaults. */
  public static InversionOptions defaults() {
    return builder().build();
  }

  /**
   * @return a builder starting from the paper's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a builder holding these options, to change some of them
   */
  public Builder toBuilder() {
    return new Builder()
        .steps(steps)
        .guidanceScale(guidanceScale)
        .innerSteps(innerSteps)
        .learningRate(learningRate)
        .optimizer(optimizer)
        .method(method)
        .sizePolicy(sizePolicy)
        .nullText(nullTextInnerSteps, nullTextLearningRate, nullTextEarlyStop)
        .todinv(todinv);
  }

  /** Builder; {@link #build()} validates and throws {@link InvalidInputException} naming the bad option. */
  public static final class Builder {
    private int steps = DEFAULT_STEPS;
    private double guidanceScale = DEFAULT_GUIDANCE_SCALE;
    private int innerSteps = DEFAULT_INNER_STEPS;
    private double learningRate = DEFAULT_LEARNING_RATE;
    private OptimizerKind optimizer = OptimizerKind.ADAM;
    private InversionMethod method = InversionMethod.PTI;
    private SizePolicy sizePolicy = SizePolicy.fit();
    private int nullTextInnerSteps = 10;
    private double nullTextLearningRate = 1e-2;
    private double nullTextEarlyStop = 1e-5;
    private TodInvOptions todinv = TodInvOptions.defaults();

    private Builder() {}

    /**
     * Sets the DDIM steps T.
     * @param steps T in [1, 1000]
     * @return this builder
     */
    public Builder steps(int steps) {
      this.steps = steps;
      return this;
    }

    /**
     * Sets the classifier-free guidance scale w.
     * @param guidanceScale w &gt;= 0
     * @return this builder
     */
    public Builder guidanceScale(double guidanceScale) {
      this.guidanceScale = guidanceScale;
      return this;
    }

    /**
     * Sets N, the optimiser steps per timestep.
     * @param innerSteps N &gt;= 1
     * @return this builder
     */
    public Builder innerSteps(int innerSteps) {
      this.innerSteps = innerSteps;
      return this;
    }

    /**
     * Sets beta, the optimiser's learning rate.
     * @param learningRate a finite value &gt; 0
     * @return this builder
     */
    public Builder learningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    /**
     * Sets the tuning optimiser: Adam (default) or plain gradient descent.
     * @param optimizer not null
     * @return this builder
     */
    public Builder optimizer(OptimizerKind optimizer) {
      this.optimizer = InvalidInputException.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /**
     * Sets the method: PTI (default), NTI or plain DDIM.
     * @param method not null
     * @return this builder
     */
    public Builder method(InversionMethod method) {
      this.method = InvalidInputException.requireNonNull(method, "method");
      return this;
    }

    /**
     * Sets how input images reach a size the model accepts (default {@link SizePolicy#fit()}).
     * @param sizePolicy not null
     * @return this builder
     */
    public Builder sizePolicy(SizePolicy sizePolicy) {
      this.sizePolicy = InvalidInputException.requireNonNull(sizePolicy, "sizePolicy");
      return this;
    }

    /** Null-Text Inversion's settings (defaults 10, 0.01, 1e-5 as in its public code). */
    public Builder nullText(int innerSteps, double learningRate, double earlyStop) {
      this.nullTextInnerSteps = innerSteps;
      this.nullTextLearningRate = learningRate;
      this.nullTextEarlyStop = earlyStop;
      return this;
    }

    /**
     * Sets TODInv's settings (used with {@link InversionMethod#TODINV}).
     * @param options not null
     * @return this builder
     */
    public Builder todinv(TodInvOptions options) {
      this.todinv = InvalidInputException.requireNonNull(options, "todinv");
      return this;
    }

    /**
     * @return the options, validated ({@link InvalidInputException} names a bad one)
     */
    public InversionOptions build() {
      return new InversionOptions(steps, guidanceScale, innerSteps, learningRate, optimizer, method, sizePolicy,
          nullTextInnerSteps, nullTextLearningRate, nullTextEarlyStop, todinv);
    }
  }
}
