package io.ptinv.examples.bench;

import java.awt.image.BufferedImage;

/** PSNR and SSIM between two 8-bit RGB images of the same size, optionally restricted to a mask. */
public final class ImageMetrics {
  private ImageMetrics() {}

  /** Peak signal-to-noise ratio in dB over RGB, {@code 10 log10(255^2 / MSE)}; capped at 100 for identical images. */
  public static double psnr(BufferedImage a, BufferedImage b) {
    return psnr(a, b, null);
  }

  /** PSNR over the pixels where {@code mask} is true (all pixels if null). */
  public static double psnr(BufferedImage a, BufferedImage b, boolean[] mask) {
    int w = a.getWidth();
    int h = a.getHeight();
    int[] pa = a.getRGB(0, 0, w, h, null, 0, w);
    int[] pb = b.getRGB(0, 0, w, h, null, 0, w);
    double se = 0;
    long n = 0;
    for (int i = 0; i < pa.length; i++) {
      if (mask != null && !mask[i]) {
        continue;
      }
      for (int shift = 0; shift <= 16; shift += 8) {
        double d = ((pa[i] >> shift) & 0xFF) - ((pb[i] >> shift) & 0xFF);
        se += d * d;
        n++;
      }
    }
    if (n == 0) {
      return Double.NaN;
    }
    double mse = se / n;
    return mse == 0 ? 100 : 10 * Math.log10(255.0 * 255.0 / mse);
  }

  /**
   * Structural similarity (Wang et al. 2004) on luma with an 11x11 Gaussian window (sigma 1.5),
   * {@code C1 = (0.01 L)^2}, {@code C2 = (0.03 L)^2}, averaged over the image.
   */
  public static double ssim(BufferedImage a, BufferedImage b) {
    return ssim(a, b, null);
  }

  /** The SSIM map averaged over the pixels where {@code mask} is true (all pixels if null). */
  public static double ssim(BufferedImage a, BufferedImage b, boolean[] mask) {
    int w = a.getWidth();
    int h = a.getHeight();
    double[] x = luma(a);
    double[] y = luma(b);
    double[] g = gaussian(11, 1.5);
    double[] mx = blur(x, w, h, g);
    double[] my = blur(y, w, h, g);
    double[] xx = blur(mul(x, x), w, h, g);
    double[] yy = blur(mul(y, y), w, h, g);
    double[] xy = blur(mul(x, y), w, h, g);
    double c1 = Math.pow(0.01 * 255, 2);
    double c2 = Math.pow(0.03 * 255, 2);
    double sum = 0;
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if (mask != null && !mask[i]) {
        continue;
      }
      n++;
      double vx = xx[i] - mx[i] * mx[i];
      double vy = yy[i] - my[i] * my[i];
      double cov = xy[i] - mx[i] * my[i];
      sum += ((2 * mx[i] * my[i] + c1) * (2 * cov + c2)) / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2));
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static double[] luma(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] p = img.getRGB(0, 0, w, h, null, 0, w);
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = 0.299 * ((p[i] >> 16) & 0xFF) + 0.587 * ((p[i] >> 8) & 0xFF) + 0.114 * (p[i] & 0xFF);
    }
    return out;
  }

  private static double[] mul(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * b[i];
    }
    return out;
  }

  private static double[] gaussian(int size, double sigma) {
    double[] k = new double[size];
    double sum = 0;
    for (int i = 0; i < size; i++) {
      double d = i - size / 2;
      k[i] = Math.exp(-d * d / (2 * sigma * sigma));
      sum += k[i];
    }
    for (int i = 0; i < size; i++) {
      k[i] /= sum;
    }
    return k;
  }

  /** Separable blur with edge clamping. */
  private static double[] blur(double[] v, int w, int h, double[] k) {
    int r = k.length / 2;
    double[] tmp = new double[v.length];
    double[] out = new double[v.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int j = -r; j <= r; j++) {
          s += k[j + r] * v[y * w + Math.max(0, Math.min(w - 1, x + j))];
        }
        tmp[y * w + x] = s;
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int j = -r; j <= r; j++) {
          s += k[j + r] * tmp[Math.max(0, Math.min(h - 1, y + j)) * w + x];
        }
        out[y * w + x] = s;
      }
    }
    return out;
  }
}
