package io.ptinv.eval;

import io.ptinv.InvalidInputException;
import java.awt.image.BufferedImage;

/**
 * An RGB image as the reference evaluation sees it: {@code np.array(img).astype(np.float32) / 255}, channel-major
 * ({@code [3, H, W]}), each value the float32 quotient of the 8-bit value by 255.
 *
 * @param height H
 * @param width W
 * @param values {@code 3 * H * W} values in [0, 1], channel-major
 */
public record EvalImage(int height, int width, float[] values) {
  /** Checks the size. */
  public EvalImage {
    InvalidInputException.check(height > 0 && width > 0, "image", "a positive size", height + "x" + width);
    InvalidInputException.check(values != null && values.length == 3 * height * width, "image",
        3 * height * width + " values (3 x " + height + " x " + width + ")", values == null ? null : values.length);
  }

  /**
   * From row-major {@code H x W x 3} 8-bit RGB (what {@code np.array(PIL image)} gives).
   *
   * @param hwc the bytes, unsigned
   * @param height H
   * @param width W
   * @return the image
   */
  public static EvalImage fromRgb8(byte[] hwc, int height, int width) {
    InvalidInputException.check(hwc.length == 3 * height * width, "image", 3 * height * width + " bytes", hwc.length);
    float[] v = new float[hwc.length];
    int plane = height * width;
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        v[c * plane + i] = (hwc[3 * i + c] & 0xFF) / 255f; // float32 division, as the reference
      }
    }
    return new EvalImage(height, width, v);
  }

  /**
   * From a {@link BufferedImage}'s RGB (alpha ignored).
   *
   * @param image any image
   * @return the image
   */
  public static EvalImage of(BufferedImage image) {
    return fromRgb8(rgb8(image), image.getHeight(), image.getWidth());
  }

  /**
   * Row-major {@code H x W x 3} bytes of an image's RGB (what {@code np.array(PIL image)} gives).
   *
   * @param image any image (alpha ignored)
   * @return the bytes
   */
  public static byte[] rgb8(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] hwc = new byte[3 * argb.length];
    for (int i = 0; i < argb.length; i++) {
      hwc[3 * i] = (byte) (argb[i] >> 16);
      hwc[3 * i + 1] = (byte) (argb[i] >> 8);
      hwc[3 * i + 2] = (byte) argb[i];
    }
    return hwc;
  }

  /** @return H x W */
  public int pixels() {
    return height * width;
  }
}
