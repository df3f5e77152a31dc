package io.ptinv.eval;

import java.util.Locale;

/**
 * A metric's value, or "not computed": PIE-Bench writes {@code nan} when the mask a part-metric would use is empty, and a
 * metric without its network weights is not computed either — never an invented number.
 *
 * @param value the value ({@code +inf} for the PSNR of identical parts); NaN when not computed
 * @param computed false when the metric was skipped
 * @param why why it was skipped (empty when computed)
 */
public record Score(double value, boolean computed, String why) {
  /**
   * @param value the metric's value
   * @return a computed score
   */
  public static Score of(double value) {
    return new Score(value, true, "");
  }

  /**
   * @param why e.g. "empty mask"
   * @return a score that was not computed
   */
  public static Score skipped(String why) {
    return new Score(Double.NaN, false, why);
  }

  /** As the reference's CSV writes it: {@code nan}, {@code inf}, or the number. */
  @Override
  public String toString() {
    if (!computed) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    return String.format(Locale.ROOT, "%s", value);
  }
}
