package io.ptinv.eval;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Numbers written as PnPInversion's {@code evaluate.py} writes them into its CSV: Python's {@code repr} of a float (the
 * shortest decimal that reads back to the same double; positional for exponents -4..15, else {@code 1e-05} style) and
 * numpy's {@code str} of a float32 0-d array (the shortest decimal that reads back to the same float32, same layout).
 * {@code nan} and {@code inf} as Python prints them.
 */
public final class PythonFloats {
  private PythonFloats() {}

  /**
   * @param value a double
   * @return Python's {@code repr(value)}
   */
  public static String repr(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(value);
    for (int digits = 1; digits <= 17; digits++) {
      BigDecimal d = exact.round(new MathContext(digits));
      if (d.doubleValue() == value) {
        return layout(d);
      }
    }
    return layout(exact.round(new MathContext(17)));
  }

  /**
   * @param value a float32 value
   * @return numpy's {@code str(np.float32 array)} of it
   */
  public static String float32(float value) {
    if (Float.isNaN(value)) {
      return "nan";
    }
    if (Float.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(value);
    for (int digits = 1; digits <= 9; digits++) {
      BigDecimal d = exact.round(new MathContext(digits));
      if (d.floatValue() == value) {
        return layout(d);
      }
    }
    return layout(exact.round(new MathContext(9)));
  }

  /** Positional for decimal exponents -4..15 (with a trailing {@code .0} for integers), else {@code d.ddde-XX}. */
  private static String layout(BigDecimal d) {
    BigDecimal stripped = d.stripTrailingZeros();
    int exponent = stripped.precision() - stripped.scale() - 1;
    if (exponent >= -4 && exponent < 16) {
      String s = stripped.toPlainString();
      return s.contains(".") ? s : s + ".0";
    }
    String digits = stripped.unscaledValue().abs().toString();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String sign = stripped.signum() < 0 ? "-" : "";
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
  }
}
