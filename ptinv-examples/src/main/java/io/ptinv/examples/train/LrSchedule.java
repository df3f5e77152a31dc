package io.ptinv.examples.train;

/** The learning rate over a training phase of {@code total} steps. */
public enum LrSchedule {
  /** The base rate throughout. */
  CONSTANT,
  /** Cosine decay from the base rate to 0 at the phase's last step: {@code lr · (1 + cos(π t / T)) / 2}. */
  COSINE;

  /** The rate for step {@code step} (0-based) of {@code total}. */
  public double at(double lr, int step, int total) {
    return switch (this) {
      case CONSTANT -> lr;
      case COSINE -> lr * 0.5 * (1 + Math.cos(Math.PI * Math.min(step, total) / total));
    };
  }
}
