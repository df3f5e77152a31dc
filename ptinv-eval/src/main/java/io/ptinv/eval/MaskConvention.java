package io.ptinv.eval;

/** How a pixel metric is restricted to a part of the image. Every report says which one it used. */
public enum MaskConvention {
  /**
   * PIE-Bench's (PnPInversion's {@code evaluate.py}): both images are multiplied by the mask, so the masked-out pixels
   * are 0 in both and still count; means run over all 3·H·W values, SSIM windows see the black areas. Comparable with
   * published PIE-Bench tables, but a small region gets a high PSNR from the many zeros.
   */
  PIE_BENCH,
  /** A true masked mean: only the pixels inside the mask count (SSIM: the map averaged over window centres inside). */
  MASKED_MEAN
}
