package io.ptinv.eval;

import io.ptinv.InvalidInputException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * PIE-Bench's 18 metrics of one (source, edit) pair, as evaluate.py's {@code calculate_metric} computes them (every
 * metric under {@link MaskConvention#PIE_BENCH}; an empty part is {@code nan}). The network metrics need their weights;
 * without them they are not computed, never estimated.
 */
public final class PieBenchEvaluator implements AutoCloseable {
  /**
   * LPIPS (SqueezeNet 1.1) weights. This and the names below are the file names of the weights folder, as in
   * {@code shared/golden-metrics/weights}.
   */
  public static final String LPIPS_FILE = "lpips-squeeze.safetensors";
  /** CLIP ViT weights (vision and text towers, converted from the transformers layout). */
  public static final String CLIP_FILE = "clip.safetensors";
  /** The CLIP model's transformers {@code config.json}. */
  public static final String CLIP_CONFIG = "clip-config.json";
  /** The CLIP image processor's {@code preprocessor_config.json}. */
  public static final String CLIP_PREPROCESSOR = "clip-preprocessor-config.json";
  /** DINO ViT weights for the structure distance. */
  public static final String DINO_FILE = "dino.safetensors";
  /** The DINO ViT's {@code config.json}. */
  public static final String DINO_CONFIG = "dino-config.json";

  private final Lpips lpips;
  private final ClipScore clip;
  private final DinoStructureDistance dino;

  private PieBenchEvaluator(Lpips lpips, ClipScore clip, DinoStructureDistance dino) {
    this.lpips = lpips;
    this.clip = clip;
    this.dino = dino;
  }

  /**
   * Loads the networks whose files are in {@code weights} (see the constants; docs/evaluation.md says where to get the
   * real checkpoints); those missing are not computed.
   *
   * @param weights a folder, or null for the pixel metrics only
   * @return the evaluator
   */
  public static PieBenchEvaluator load(Path weights) {
    if (weights == null) {
      return new PieBenchEvaluator(null, null, null);
    }
    InvalidInputException.check(Files.isDirectory(weights), "weights", "a folder of metric weights", weights);
    Lpips l = null;
    ClipScore c = null;
    DinoStructureDistance d = null;
    try {
      if (Files.isRegularFile(weights.resolve(LPIPS_FILE))) {
        l = Lpips.load(weights.resolve(LPIPS_FILE));
      }
      if (Files.isRegularFile(weights.resolve(CLIP_FILE))) {
        c = ClipScore.load(weights.resolve(CLIP_FILE), weights.resolve(CLIP_CONFIG), weights.resolve(CLIP_PREPROCESSOR));
      }
      if (Files.isRegularFile(weights.resolve(DINO_FILE))) {
        d = DinoStructureDistance.load(weights.resolve(DINO_FILE), weights.resolve(DINO_CONFIG));
      }
      return new PieBenchEvaluator(l, c, d);
    } catch (RuntimeException e) {
      for (AutoCloseable a : new AutoCloseable[] {l, c, d}) {
        closeQuietly(a);
      }
      throw e;
    }
  }

  /**
   * @param kind a measurement
   * @return whether it can be computed (its weights were loaded)
   */
  public boolean available(PieBenchMetric.Kind kind) {
    return switch (kind) {
      case LPIPS -> lpips != null;
      case CLIP -> clip != null;
      case STRUCTURE -> dino != null;
      default -> true;
    };
  }

  /**
   * @param entry the entry (prompts, mask)
   * @param source the source image
   * @param edited the method's edit, the source's size
   * @param metrics which to compute
   * @return each metric's score; a metric without weights is not computed
   */
  public Map<PieBenchMetric, Score> evaluate(PieBenchEntry entry, BufferedImage source, BufferedImage edited,
      List<PieBenchMetric> metrics) {
    int h = source.getHeight();
    int w = source.getWidth();
    InvalidInputException.check(edited.getWidth() == w && edited.getHeight() == h, "edited image",
        "the source's size " + w + "x" + h, edited.getWidth() + "x" + edited.getHeight());
    boolean[] mask = PieBenchMask.decode(entry.rle(), h, w);
    boolean[] unedited = PieBenchMask.invert(mask);
    EvalImage src = EvalImage.of(source);
    EvalImage tgt = EvalImage.of(edited);
    Map<PieBenchMetric, Score> out = new EnumMap<>(PieBenchMetric.class);
    for (PieBenchMetric m : metrics) {
      boolean[] part = switch (m.part()) {
        case WHOLE -> null;
        case UNEDITED -> unedited;
        case EDITED -> mask;
      };
      if (!available(m.kind())) {
        out.put(m, Score.skipped("not computed: no " + m.kind().name().toLowerCase(java.util.Locale.ROOT) + " weights"));
        continue;
      }
      out.put(m, switch (m.kind()) {
        case PSNR -> PixelMetrics.psnr(src, tgt, part, MaskConvention.PIE_BENCH);
        case MSE -> PixelMetrics.mse(src, tgt, part, MaskConvention.PIE_BENCH);
        case SSIM -> PixelMetrics.ssim(src, tgt, part, MaskConvention.PIE_BENCH);
        case LPIPS -> lpips.distance(src, tgt, part);
        case STRUCTURE -> dino.distance(src, tgt, part);
        case CLIP -> clipScore(m, entry, source, edited, mask);
      });
    }
    return out;
  }

  private Score clipScore(PieBenchMetric m, PieBenchEntry entry, BufferedImage source, BufferedImage edited,
      boolean[] mask) {
    int h = source.getHeight();
    int w = source.getWidth();
    if (m == PieBenchMetric.CLIP_SIMILARITY_SOURCE_IMAGE) {
      return clip.score(EvalImage.rgb8(source), h, w, entry.cleanOriginalPrompt());
    }
    byte[] target = EvalImage.rgb8(edited);
    if (m.part() == PieBenchMetric.Part.EDITED) {
      if (!PieBenchMask.any(mask)) {
        return Score.skipped("empty mask");
      }
      for (int i = 0; i < mask.length; i++) {
        if (!mask[i]) {
          target[3 * i] = 0;
          target[3 * i + 1] = 0;
          target[3 * i + 2] = 0;
        }
      }
    }
    return clip.score(target, h, w, entry.cleanEditingPrompt());
  }

  private static void closeQuietly(AutoCloseable a) {
    if (a != null) {
      try {
        a.close();
      } catch (Exception ignored) {
        // closing after a failed load
      }
    }
  }

  @Override
  public void close() {
    closeQuietly(lpips);
    closeQuietly(clip);
    closeQuietly(dino);
  }
}
