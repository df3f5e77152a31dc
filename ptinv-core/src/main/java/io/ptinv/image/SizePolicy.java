package io.ptinv.image;

import io.ptinv.InvalidInputException;

/**
 * How an input image is brought to a size the model accepts. Latent diffusion models need both sides to be
 * a multiple of {@link #multiple()} (8 for Stable Diffusion's VAE).
 *
 * <ul>
 *   <li>{@link Mode#REJECT}: the image is used as it is; if a side is not a multiple, {@link
 *       InvalidInputException} names the image and its size.
 *   <li>{@link Mode#FIT} (default): resized (bicubic) keeping the aspect ratio so that it fits the target (the
 *       longer side at the target's), each side rounded to the nearest multiple (at least one); with no target,
 *       to the nearest multiples of its own size. A 4000x3000 photo on a 512 model becomes 512x384, not 512x512.
 *   <li>{@link Mode#RESIZE}: resized (bicubic, aspect ratio not kept) to the target size, or, with no target, to
 *       the nearest multiples (at least one multiple) of its own size.
 *   <li>{@link Mode#PAD}: scaled keeping the aspect ratio to fit inside the target, then padded to it, centred,
 *       by repeating the edge pixels (no black bars for the model to read as content).
 *   <li>{@link Mode#CENTER_CROP}: scaled so that it covers the target and cropped around the centre; with no
 *       target, cropped around the centre down to multiples of its own size.
 * </ul>
 *
 * @param mode what to do
 * @param width target width in pixels, or 0 for "from the image" (a model may fill in its native size)
 * @param height target height in pixels, or 0 for "from the image"
 * @param multiple both output sides are multiples of this
 */
public record SizePolicy(Mode mode, int width, int height, int multiple) {

  /** See {@link SizePolicy}. */
  public enum Mode {
    /** Use the image as it is, or fail naming its size. */
    REJECT,
    /** Resize to the target, aspect ratio not kept. */
    RESIZE,
    /** Cover the target and crop around the centre. */
    CENTER_CROP,
    /** Fit inside the target and pad by repeating the edges. */
    PAD,
    /** Keep the aspect ratio, longer side at the target (the default). */
    FIT
  }

  /** Both sides a multiple of this by default (Stable Diffusion's VAE factor). */
  public static final int DEFAULT_MULTIPLE = 8;

  /** Validates the policy ({@link InvalidInputException} names a bad field). */
  public SizePolicy {
    InvalidInputException.check(mode != null, "sizePolicy.mode", "one of REJECT, RESIZE, CENTER_CROP, PAD, FIT", mode);
    InvalidInputException.check(multiple >= 1, "sizePolicy.multiple", "an integer >= 1", multiple);
    InvalidInputException.check(
        width == 0 || (width > 0 && width % multiple == 0),
        "sizePolicy.width",
        "0 or a positive multiple of " + multiple,
        width);
    InvalidInputException.check(
        height == 0 || (height > 0 && height % multiple == 0),
        "sizePolicy.height",
        "0 or a positive multiple of " + multiple,
        height);
    InvalidInputException.check(
        (width == 0) == (height == 0), "sizePolicy", "width and height both set or both 0", width + "x" + height);
  }

  /**
   * @return REJECT with the model's size as target
   */
  public static SizePolicy reject() {
    return new SizePolicy(Mode.REJECT, 0, 0, DEFAULT_MULTIPLE);
  }

  /**
   * @return RESIZE with the model's size as target
   */
  public static SizePolicy resize() {
    return new SizePolicy(Mode.RESIZE, 0, 0, DEFAULT_MULTIPLE);
  }

  /**
   * @return PAD with the model's size as target
   */
  public static SizePolicy pad() {
    return new SizePolicy(Mode.PAD, 0, 0, DEFAULT_MULTIPLE);
  }

  /**
   * @return FIT (the default) with the model's size as target
   */
  public static SizePolicy fit() {
    return new SizePolicy(Mode.FIT, 0, 0, DEFAULT_MULTIPLE);
  }

  /**
   * @return CENTER_CROP with the model's size as target
   */
  public static SizePolicy centerCrop() {
    return new SizePolicy(Mode.CENTER_CROP, 0, 0, DEFAULT_MULTIPLE);
  }

  /** This policy with a target size (both multiples of {@link #multiple()}). */
  public SizePolicy withTarget(int targetWidth, int targetHeight) {
    return new SizePolicy(mode, targetWidth, targetHeight, multiple);
  }

  /** This policy with the target filled in when none is set, e.g. with a model's native resolution. */
  public SizePolicy withDefaultTarget(int targetWidth, int targetHeight) {
    return hasTarget() ? this : withTarget(targetWidth, targetHeight);
  }

  /**
   * @return whether a target size is set (else the model fills in its own)
   */
  public boolean hasTarget() {
    return width > 0;
  }
}
