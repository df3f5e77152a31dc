package io.ptinv.eval;

import io.ptinv.InvalidInputException;

/**
 * Pillow 9.4's bicubic resize of 8-bit images ({@code Image.resize((w, h), BICUBIC)}, src/libImaging/Resample.c), bit
 * for bit: separable, the horizontal pass first into an 8-bit intermediate, then the vertical; cubic with a = -0.5;
 * support {@code 2 * max(1, in/out)}; weights normalised to sum 1, then turned into 22-bit fixed point; accumulation
 * from {@code 1 << 21}, shifted right by 22 and clamped to 0..255. CLIP's image processor resizes this way, and the
 * CLIP score moves beyond tolerance with any other resampler (golden-metrics README).
 */
public final class PillowBicubic {
  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final double SUPPORT = 2.0;

  private PillowBicubic() {}

  /**
   * @param hwc row-major {@code H x W x 3} unsigned bytes
   * @param height H
   * @param width W
   * @param outHeight the new height
   * @param outWidth the new width
   * @return row-major {@code outHeight x outWidth x 3} bytes
   */
  public static byte[] resize(byte[] hwc, int height, int width, int outHeight, int outWidth) {
    InvalidInputException.check(hwc.length == 3 * height * width, "image", 3 * height * width + " bytes", hwc.length);
    InvalidInputException.check(outHeight > 0 && outWidth > 0, "size", "a positive size", outWidth + "x" + outHeight);
    byte[] horizontal = width == outWidth ? hwc : pass(hwc, height, width, outWidth, true);
    return height == outHeight ? horizontal : pass(horizontal, height, outWidth, outHeight, false);
  }

  /** One pass along x ({@code alongX}) or y, producing 8-bit values. */
  private static byte[] pass(byte[] in, int height, int width, int outSize, boolean alongX) {
    int inSize = alongX ? width : height;
    Coefficients k = coefficients(inSize, outSize);
    int outH = alongX ? height : outSize;
    int outW = alongX ? outSize : width;
    byte[] out = new byte[3 * outH * outW];
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        int xx = alongX ? x : y;
        int min = k.bounds[2 * xx];
        int count = k.bounds[2 * xx + 1];
        for (int c = 0; c < 3; c++) {
          int ss = 1 << (PRECISION_BITS - 1);
          for (int i = 0; i < count; i++) {
            int src = alongX ? (y * width + min + i) : ((min + i) * width + x);
            ss += (in[3 * src + c] & 0xFF) * k.weights[xx * k.size + i];
          }
          out[3 * (y * outW + x) + c] = (byte) clip8(ss);
        }
      }
    }
    return out;
  }

  private static int clip8(int ss) {
    int v = ss >> PRECISION_BITS;
    return v < 0 ? 0 : Math.min(v, 255);
  }

  private record Coefficients(int size, int[] bounds, int[] weights) {}

  /** Pillow's precompute_coeffs + normalize_coeffs_8bpc for a resize of {@code inSize} to {@code outSize}. */
  private static Coefficients coefficients(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    int size = (int) Math.ceil(support) * 2 + 1;
    int[] bounds = new int[2 * outSize];
    int[] weights = new int[outSize * size];
    double[] kk = new double[size];
    for (int xx = 0; xx < outSize; xx++) {
      double center = (xx + 0.5) * scale;
      double ss = 1.0 / filterScale;
      int xmin = (int) (center - support + 0.5);
      if (xmin < 0) {
        xmin = 0;
      }
      int xmax = (int) (center + support + 0.5);
      if (xmax > inSize) {
        xmax = inSize;
      }
      xmax -= xmin;
      double ww = 0;
      for (int x = 0; x < xmax; x++) {
        double w = filter((x + xmin - center + 0.5) * ss);
        kk[x] = w;
        ww += w;
      }
      for (int x = 0; x < size; x++) {
        double w = x < xmax ? (ww != 0.0 ? kk[x] / ww : kk[x]) : 0;
        weights[xx * size + x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS)) : (int) (0.5 + w * (1 << PRECISION_BITS));
      }
      bounds[2 * xx] = xmin;
      bounds[2 * xx + 1] = xmax;
    }
    return new Coefficients(size, bounds, weights);
  }

  /** Keys' cubic with a = -0.5 (Pillow's bicubic_filter). */
  private static double filter(double x) {
    final double a = -0.5;
    if (x < 0.0) {
      x = -x;
    }
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }
}
