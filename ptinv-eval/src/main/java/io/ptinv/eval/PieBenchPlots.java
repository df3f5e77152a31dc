package io.ptinv.eval;

import static io.ptinv.eval.PieBenchRun.mean;

import io.ptinv.Stage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The PIE-Bench runner's trade-off curve over eta and its per-stage time bars. */
public final class PieBenchPlots {
  private PieBenchPlots() {}

  /**
   * One row per eta: the means of the unedited part's PSNR and SSIM, the edited part's PSNR, and the CLIP scores (NaN
   * where not computed).
   */
  public static String tradeoffCsv(Map<Double, List<PieBenchRun.Row>> byEta) {
    StringBuilder sb = new StringBuilder("eta,entries,psnr_unedit_part,ssim_unedit_part,psnr_edit_part,"
        + "clip_similarity_target_image,clip_similarity_target_image_edit_part\n");
    new TreeMap<>(byEta).forEach((eta, rows) -> sb.append(String.format(Locale.ROOT, "%.3f,%d,%.4f,%.4f,%.4f,%.4f,%.4f%n",
        eta, rows.size(), mean(rows, PieBenchMetric.PSNR_UNEDIT_PART), mean(rows, PieBenchMetric.SSIM_UNEDIT_PART),
        mean(rows, PieBenchMetric.PSNR_EDIT_PART), mean(rows, PieBenchMetric.CLIP_SIMILARITY_TARGET_IMAGE),
        mean(rows, PieBenchMetric.CLIP_SIMILARITY_TARGET_IMAGE_EDIT_PART)).replace("NaN", "nan")));
    return sb.toString();
  }

  /**
   * Fidelity against editability over eta: the unedited part's PSNR against the edited part's CLIP score when CLIP
   * was computed; without CLIP weights, both parts' PSNR against eta (the unedited part should stay high, the edited
   * part's drops as the edit takes hold).
   */
  public static BufferedImage tradeoff(String method, Map<Double, List<PieBenchRun.Row>> byEta) {
    Map<Double, List<PieBenchRun.Row>> sorted = new TreeMap<>(byEta);
    boolean clip = sorted.values().stream()
        .anyMatch(rows -> Double.isFinite(mean(rows, PieBenchMetric.CLIP_SIMILARITY_TARGET_IMAGE_EDIT_PART)));
    Map<String, List<Plots.Point>> series = new LinkedHashMap<>();
    if (clip) {
      List<Plots.Point> line = new ArrayList<>();
      sorted.values().forEach(rows -> line.add(new Plots.Point(mean(rows, PieBenchMetric.PSNR_UNEDIT_PART),
          mean(rows, PieBenchMetric.CLIP_SIMILARITY_TARGET_IMAGE_EDIT_PART))));
      series.put(method, line);
      return Plots.curves(method + ": fidelity vs editability over eta", "unedited-part PSNR (dB)",
          "CLIP score, edited part", series);
    }
    List<Plots.Point> kept = new ArrayList<>();
    List<Plots.Point> changed = new ArrayList<>();
    sorted.forEach((eta, rows) -> {
      kept.add(new Plots.Point(eta, mean(rows, PieBenchMetric.PSNR_UNEDIT_PART)));
      changed.add(new Plots.Point(eta, mean(rows, PieBenchMetric.PSNR_EDIT_PART)));
    });
    series.put("unedited part (fidelity: higher is better)", kept);
    series.put("edited part (lower: the edit took hold)", changed);
    return Plots.curves(method + ": PSNR against the source over eta (CLIP not computed)", "eta", "PSNR (dB)", series);
  }

  /**
   * Mean seconds per stage for each edit type and for all entries.
   *
   * @param stageSeconds entry id → seconds per stage
   * @param typeOf entry id → its edit type's name
   */
  public static Map<String, Map<Stage, Double>> meanStages(Map<String, Map<Stage, Double>> stageSeconds,
      Map<String, String> typeOf) {
    Map<String, List<Map<Stage, Double>>> groups = new TreeMap<>();
    stageSeconds.forEach((key, stages) -> {
      String type = typeOf.get(key);
      if (type != null) {
        groups.computeIfAbsent(type, k -> new ArrayList<>()).add(stages);
      }
    });
    Map<String, Map<Stage, Double>> out = new LinkedHashMap<>();
    List<Map<Stage, Double>> all = new ArrayList<>();
    groups.forEach((type, list) -> {
      out.put(type, means(list));
      all.addAll(list);
    });
    if (!all.isEmpty()) {
      out.put("all", means(all));
    }
    return out;
  }

  private static Map<Stage, Double> means(List<Map<Stage, Double>> list) {
    Map<Stage, Double> sum = new EnumMap<>(Stage.class);
    list.forEach(m -> m.forEach((s, v) -> sum.merge(s, v, Double::sum)));
    sum.replaceAll((s, v) -> v / list.size());
    return sum;
  }
}
