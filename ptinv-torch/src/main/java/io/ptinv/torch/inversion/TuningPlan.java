package io.ptinv.torch.inversion;

import io.ptinv.InversionOptions;
import io.ptinv.OptimizerKind;

/**
 * What the per-timestep tuning optimises and how: PTI tunes the conditional embedding (Dong et al. 2023,
 * Alg. 1: N steps of lr beta per timestep); Null-Text Inversion tunes the unconditional one (Mokady et al.
 * 2023: up to 10 Adam steps with lr 1e-2 (1 - i/100) at step index i, stopping early once the loss is below
 * 1e-5 + i 2e-5).
 *
 * @param tuneConditional true for PTI, false for NTI
 * @param innerSteps optimiser steps per timestep (at most, with early stopping)
 * @param optimizer Adam or SGD
 * @param learningRate base learning rate
 * @param decayPercentPerStep NTI's lr decay: lr_i = lr (1 - i * decay / 100); 0 for none
 * @param earlyStopBase stop a timestep's inner loop once loss &lt; base + i * slope; negative for never
 * @param earlyStopSlope see earlyStopBase
 */
public record TuningPlan(boolean tuneConditional, int innerSteps, OptimizerKind optimizer, double learningRate,
    double decayPercentPerStep, double earlyStopBase, double earlyStopSlope) {

  /** PTI as {@code options} say (no decay, no early stop). */
  public static TuningPlan pti(InversionOptions options) {
    return new TuningPlan(true, options.innerSteps(), options.optimizer(), options.learningRate(), 0, -1, 0);
  }

  /** Null-Text Inversion: Adam, lr decayed by 1% of the base per step index, early stop at earlyStop + i 2e-5. */
  public static TuningPlan nullText(int innerSteps, double learningRate, double earlyStop) {
    return new TuningPlan(false, innerSteps, OptimizerKind.ADAM, learningRate, 1, earlyStop, 2e-5);
  }

  double learningRate(int stepIndex) {
    return learningRate * (1 - stepIndex * decayPercentPerStep / 100.0);
  }

  boolean stopEarly(int stepIndex, double loss) {
    return earlyStopBase >= 0 && loss < earlyStopBase + stepIndex * earlyStopSlope;
  }
}
