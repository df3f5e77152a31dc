package io.ptinv.eval;

import io.ptinv.InvalidInputException;

/**
 * PIE-Bench's run-length mask encoding, decoded exactly as PnPInversion's {@code evaluate.py mask_decode} does: the RLE
 * is a flat list of {@code (start, length)} pairs over the row-major flattened H x W array; each run sets
 * {@code min(length, H*W - start)} ones (a run past the end is clipped); then the first and last rows and columns
 * are forced to 1. A true value marks the region to edit.
 */
public final class PieBenchMask {
  private PieBenchMask() {}

  /**
   * @param rle pairs {@code start, length}
   * @param height H (PIE-Bench: 512)
   * @param width W (PIE-Bench: 512)
   * @return H x W row-major, true = edited region
   * @throws InvalidInputException for an odd-length list or negative values
   */
  public static boolean[] decode(long[] rle, int height, int width) {
    InvalidInputException.requireNonNull(rle, "rle");
    InvalidInputException.check(rle.length % 2 == 0, "rle", "(start, length) pairs", rle.length + " numbers");
    InvalidInputException.check(height > 0 && width > 0, "mask shape", "a positive size", height + "x" + width);
    int n = height * width;
    boolean[] mask = new boolean[n];
    for (int i = 0; i < rle.length; i += 2) {
      long start = rle[i];
      long length = rle[i + 1];
      InvalidInputException.check(start >= 0 && length >= 0, "rle", "non-negative starts and lengths",
          start + ", " + length + " at pair " + i / 2);
      long end = Math.min(start + length, n);
      for (long j = start; j < end; j++) {
        mask[(int) j] = true;
      }
    }
    for (int x = 0; x < width; x++) {
      mask[x] = true;
      mask[(height - 1) * width + x] = true;
    }
    for (int y = 0; y < height; y++) {
      mask[y * width] = true;
      mask[y * width + width - 1] = true;
    }
    return mask;
  }

  /**
   * @param region a mask, or null for the whole image
   * @return whether it selects at least one pixel (null: yes)
   */
  public static boolean any(boolean[] region) {
    if (region == null) {
      return true;
    }
    for (boolean r : region) {
      if (r) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param mask a mask
   * @return its complement (the unedited part)
   */
  public static boolean[] invert(boolean[] mask) {
    boolean[] out = new boolean[mask.length];
    for (int i = 0; i < mask.length; i++) {
      out[i] = !mask[i];
    }
    return out;
  }
}
