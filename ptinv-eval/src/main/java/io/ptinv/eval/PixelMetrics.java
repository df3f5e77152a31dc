package io.ptinv.eval;

import io.ptinv.InvalidInputException;

/**
 * MSE, PSNR and SSIM as torchmetrics 1.2 computes them with {@code data_range = 1} (PnPInversion's evaluation), on the
 * whole image or on a part of it under a {@link MaskConvention}. Values are accumulated in double precision; the
 * reference works in float32, which the golden tolerances cover.
 */
public final class PixelMetrics {
  /** SSIM's Gaussian sigma; the window is {@code int(3.5 sigma + 0.5) * 2 + 1 = 11} taps (torchmetrics ignores kernel_size). */
  static final double SIGMA = 1.5;
  static final int RADIUS = (int) (3.5 * SIGMA + 0.5);
  private static final double C1 = 0.01 * 0.01;
  private static final double C2 = 0.03 * 0.03;
  private static final double[] TAPS = taps();

  private PixelMetrics() {}

  /**
   * Mean squared error over [0, 1] values.
   *
   * @param a one image
   * @param b the other, same size
   * @param region the part to measure (H x W, true = inside), or null for the whole image
   * @param convention how the part is measured
   * @return the MSE, or not computed for an empty region
   */
  public static Score mse(EvalImage a, EvalImage b, boolean[] region, MaskConvention convention) {
    check(a, b, region);
    if (!PieBenchMask.any(region)) {
      return Score.skipped("empty mask");
    }
    int plane = a.pixels();
    double sum = 0;
    long count = 0;
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        boolean inside = region == null || region[i];
        if (!inside && convention == MaskConvention.MASKED_MEAN) {
          continue;
        }
        count++;
        if (inside) {
          double d = (double) a.values()[c * plane + i] - b.values()[c * plane + i];
          sum += d * d;
        }
      }
    }
    return Score.of(sum / count);
  }

  /**
   * Peak signal-to-noise ratio {@code 10 log10(1 / MSE)} in dB ({@code +inf} for identical parts).
   *
   * @param a one image
   * @param b the other, same size
   * @param region the part to measure, or null for the whole image
   * @param convention how the part is measured
   * @return the PSNR, or not computed for an empty region
   */
  public static Score psnr(EvalImage a, EvalImage b, boolean[] region, MaskConvention convention) {
    Score mse = mse(a, b, region, convention);
    if (!mse.computed()) {
      return mse;
    }
    return Score.of(mse.value() == 0 ? Double.POSITIVE_INFINITY : -10 * Math.log10(mse.value()));
  }

  /**
   * Structural similarity (Wang et al. 2004; torchmetrics' form): 11x11 Gaussian window, sigma 1.5, per channel,
   * {@code C1 = 0.01^2}, {@code C2 = 0.03^2}; only windows lying fully inside the image count (the 5-pixel border of
   * the map is cut), and the value is the mean of the map over the 3 channels.
   *
   * @param a one image
   * @param b the other, same size (at least 11 x 11)
   * @param region the part to measure, or null for the whole image
   * @param convention PIE_BENCH: both images multiplied by the mask, then the whole map's mean; MASKED_MEAN: the map of
   *     the unmasked images averaged over window centres inside the region
   * @return the SSIM, or not computed for an empty region
   */
  public static Score ssim(EvalImage a, EvalImage b, boolean[] region, MaskConvention convention) {
    check(a, b, region);
    int h = a.height();
    int w = a.width();
    InvalidInputException.check(h > 2 * RADIUS && w > 2 * RADIUS, "image", "at least 11x11 pixels for SSIM",
        w + "x" + h);
    if (!PieBenchMask.any(region)) {
      return Score.skipped("empty mask");
    }
    boolean multiply = region != null && convention == MaskConvention.PIE_BENCH;
    int plane = h * w;
    int oh = h - 2 * RADIUS;
    int ow = w - 2 * RADIUS;
    double sum = 0;
    long count = 0;
    for (int c = 0; c < 3; c++) {
      double[] x = new double[plane];
      double[] y = new double[plane];
      for (int i = 0; i < plane; i++) {
        double m = multiply && !region[i] ? 0 : 1;
        x[i] = a.values()[c * plane + i] * m;
        y[i] = b.values()[c * plane + i] * m;
      }
      double[] mx = blur(x, h, w);
      double[] my = blur(y, h, w);
      double[] xx = blur(product(x, x), h, w);
      double[] yy = blur(product(y, y), h, w);
      double[] xy = blur(product(x, y), h, w);
      for (int r = 0; r < oh; r++) {
        for (int q = 0; q < ow; q++) {
          if (convention == MaskConvention.MASKED_MEAN && region != null && !region[(r + RADIUS) * w + q + RADIUS]) {
            continue;
          }
          int k = r * ow + q;
          double vx = xx[k] - mx[k] * mx[k];
          double vy = yy[k] - my[k] * my[k];
          double cov = xy[k] - mx[k] * my[k];
          sum += ((2 * mx[k] * my[k] + C1) * (2 * cov + C2)) / ((mx[k] * mx[k] + my[k] * my[k] + C1) * (vx + vy + C2));
          count++;
        }
      }
    }
    return count == 0 ? Score.skipped("no SSIM window centre inside the mask") : Score.of(sum / count);
  }

  /** The normalised float32 taps {@code exp(-((i - 5) / 1.5)^2 / 2)}, i = 0..10 (torchmetrics' _gaussian). */
  private static double[] taps() {
    float[] t = new float[2 * RADIUS + 1];
    float sum = 0;
    for (int i = 0; i < t.length; i++) {
      float d = (i - RADIUS) / (float) SIGMA;
      t[i] = (float) Math.exp(-(d * d) / 2);
      sum += t[i];
    }
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      out[i] = t[i] / sum;
    }
    return out;
  }

  /** Separable Gaussian filter, valid positions only: (H - 10) x (W - 10). */
  private static double[] blur(double[] v, int h, int w) {
    int ow = w - 2 * RADIUS;
    int oh = h - 2 * RADIUS;
    double[] rows = new double[h * ow];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < ow; x++) {
        double s = 0;
        for (int j = 0; j < TAPS.length; j++) {
          s += TAPS[j] * v[y * w + x + j];
        }
        rows[y * ow + x] = s;
      }
    }
    double[] out = new double[oh * ow];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        double s = 0;
        for (int j = 0; j < TAPS.length; j++) {
          s += TAPS[j] * rows[(y + j) * ow + x];
        }
        out[y * ow + x] = s;
      }
    }
    return out;
  }

  private static double[] product(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * b[i];
    }
    return out;
  }


  private static void check(EvalImage a, EvalImage b, boolean[] region) {
    InvalidInputException.requireNonNull(a, "a");
    InvalidInputException.requireNonNull(b, "b");
    InvalidInputException.check(a.height() == b.height() && a.width() == b.width(), "images", "the same size",
        a.width() + "x" + a.height() + " and " + b.width() + "x" + b.height());
    InvalidInputException.check(region == null || region.length == a.pixels(), "mask",
        a.pixels() + " values (" + a.width() + "x" + a.height() + ")", region == null ? null : region.length);
  }
}
