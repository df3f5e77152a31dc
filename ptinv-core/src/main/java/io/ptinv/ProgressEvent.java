package io.ptinv;

import java.time.Duration;

/**
 * One step of work done.
 *
 * @param stage the running stage
 * @param step steps of this stage completed so far (1-based after the first step)
 * @param total steps this stage will take
 * @param elapsed wall time since the stage started
 */
public record ProgressEvent(Stage stage, int step, int total, Duration elapsed) {
  /** Fraction of the stage done, in [0, 1]. */
  public double fraction() {
    return total == 0 ? 1.0 : (double) step / total;
  }
}
