package io.ptinv.eval;

import java.util.Locale;

/** The 18 metrics of PIE-Bench's evaluate.py, in its default column order, with their CSV names. */
public enum PieBenchMetric {
  /** PSNR of the whole edited image against the source. */
  PSNR(Kind.PSNR, Part.WHOLE),
  /** LPIPS of the whole edited image against the source. */
  LPIPS(Kind.LPIPS, Part.WHOLE),
  /** MSE of the whole edited image against the source. */
  MSE(Kind.MSE, Part.WHOLE),
  /** SSIM of the whole edited image against the source. */
  SSIM(Kind.SSIM, Part.WHOLE),
  /** DINO structure distance of the whole edited image against the source. */
  STRUCTURE_DISTANCE(Kind.STRUCTURE, Part.WHOLE),
  /** PSNR over the region outside the edit mask (what should not change). */
  PSNR_UNEDIT_PART(Kind.PSNR, Part.UNEDITED),
  /** LPIPS over the region outside the edit mask (what should not change). */
  LPIPS_UNEDIT_PART(Kind.LPIPS, Part.UNEDITED),
  /** MSE over the region outside the edit mask (what should not change). */
  MSE_UNEDIT_PART(Kind.MSE, Part.UNEDITED),
  /** SSIM over the region outside the edit mask (what should not change). */
  SSIM_UNEDIT_PART(Kind.SSIM, Part.UNEDITED),
  /** DINO structure distance over the region outside the edit mask (what should not change). */
  STRUCTURE_DISTANCE_UNEDIT_PART(Kind.STRUCTURE, Part.UNEDITED),
  /** PSNR over the edit mask. */
  PSNR_EDIT_PART(Kind.PSNR, Part.EDITED),
  /** LPIPS over the edit mask. */
  LPIPS_EDIT_PART(Kind.LPIPS, Part.EDITED),
  /** MSE over the edit mask. */
  MSE_EDIT_PART(Kind.MSE, Part.EDITED),
  /** SSIM over the edit mask. */
  SSIM_EDIT_PART(Kind.SSIM, Part.EDITED),
  /** DINO structure distance over the edit mask. */
  STRUCTURE_DISTANCE_EDIT_PART(Kind.STRUCTURE, Part.EDITED),
  /** CLIP score of the source image and the source prompt. */
  CLIP_SIMILARITY_SOURCE_IMAGE(Kind.CLIP, Part.WHOLE),
  /** CLIP score of the edited image and the target prompt. */
  CLIP_SIMILARITY_TARGET_IMAGE(Kind.CLIP, Part.WHOLE),
  /** CLIP score of the edited image inside the edit mask and the target prompt. */
  CLIP_SIMILARITY_TARGET_IMAGE_EDIT_PART(Kind.CLIP, Part.EDITED);

  /** Which measurement. */
  public enum Kind {
    /** peak signal-to-noise ratio */
    PSNR,
    /** mean squared error */
    MSE,
    /** structural similarity */
    SSIM,
    /** LPIPS (SqueezeNet) */
    LPIPS,
    /** DINO self-similarity distance */
    STRUCTURE,
    /** CLIP score */
    CLIP
  }

  /** Which part of the image. */
  public enum Part {
    /** the whole image */
    WHOLE,
    /** outside the mask */
    UNEDITED,
    /** inside the mask */
    EDITED
  }

  private final Kind kind;
  private final Part part;

  PieBenchMetric(Kind kind, Part part) {
    this.kind = kind;
    this.part = part;
  }

  /** @return the measurement */
  public Kind kind() {
    return kind;
  }

  /** @return the part of the image */
  public Part part() {
    return part;
  }

  /** @return the name evaluate.py uses (e.g. {@code psnr_unedit_part}) */
  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param column a name as evaluate.py spells it
   * @return the metric
   * @throws io.ptinv.InvalidInputException for an unknown name
   */
  public static PieBenchMetric ofColumn(String column) {
    for (PieBenchMetric m : values()) {
      if (m.column().equals(column)) {
        return m;
      }
    }
    throw new io.ptinv.InvalidInputException("metric", "expected one of evaluate.py's metric names (psnr, lpips, mse, "
        + "ssim, structure_distance, ..._unedit_part, ..._edit_part, clip_similarity_*) but got " + column);
  }
}
