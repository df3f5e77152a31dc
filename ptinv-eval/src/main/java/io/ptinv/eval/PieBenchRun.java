package io.ptinv.eval;

import io.ptinv.InvalidInputException;
import io.ptinv.PtinvException;
import java.io.UncheckedIOException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Evaluates a method's PIE-Bench outputs and writes the CSV evaluate.py writes (same header, same number formatting)
 * and a summary: the mean of each metric over the entries where it was computed.
 */
public final class PieBenchRun {
  /**
   * One entry's scores.
   *
   * @param key the entry's id
   * @param editingTypeId its edit category
   * @param scores metric → score
   */
  public record Row(String key, String editingTypeId, Map<PieBenchMetric, Score> scores) {}

  private PieBenchRun() {}

  /**
   * The rows scored, and the items that could not be (unreadable image, wrong size, bad mask) with the reason.
   *
   * @param rows one row per scored entry, in mapping order
   * @param failed entry id → why it was skipped
   */
  public record Result(List<Row> rows, Map<String, String> failed) {}

  /**
   * Scores every entry; a bad item is reported and skipped, never stopping the run.
   *
   * @param entries from {@link PieBench#readMapping}
   * @param imagesDir the annotation images folder ({@code annotation_images})
   * @param editedDir the method's outputs, same relative paths ({@code output/<method>/annotation_images})
   * @param evaluator the metrics
   * @param metrics which metrics, in column order
   * @param itemsDir where finished items are kept so that a restarted run skips them, or null
   * @param progress sees the number of entries done
   * @return the rows and the skipped items
   */
  public static Result run(List<PieBenchEntry> entries, Path imagesDir, Path editedDir, PieBenchEvaluator evaluator,
      List<PieBenchMetric> metrics, Path itemsDir, IntConsumer progress) {
    InvalidInputException.check(!metrics.isEmpty(), "metrics", "at least one metric", metrics);
    ItemStore store = itemsDir == null ? null : new ItemStore(itemsDir, ItemStore.signature(metrics, evaluator));
    List<Row> rows = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();
    int done = 0;
    for (PieBenchEntry e : entries) {
      Optional<Map<PieBenchMetric, Score>> saved = store == null ? Optional.empty() : store.load(e.key(), metrics);
      if (saved.isPresent()) {
        rows.add(new Row(e.key(), e.editingTypeId(), saved.get()));
      } else {
        try {
          BufferedImage source = io.ptinv.image.Images.read(imagesDir.resolve(e.imagePath()));
          BufferedImage edited = PieBench.readOutput(editedDir.resolve(e.imagePath()), source.getHeight(),
              source.getWidth());
          Map<PieBenchMetric, Score> scores = evaluator.evaluate(e, source, edited, metrics);
          if (store != null) {
            store.save(e.key(), scores);
          }
          rows.add(new Row(e.key(), e.editingTypeId(), scores));
        } catch (PtinvException | UncheckedIOException ex) {
          failed.put(e.key(), ex.getMessage());
        }
      }
      progress.accept(++done);
    }
    return new Result(rows, failed);
  }

  /**
   * evaluate.py's CSV: {@code file_id,<method>|<metric>,...}, one row per entry; values as Python prints them
   * ({@code nan} for an empty part, {@code inf}); the structure distance as numpy prints a float32. Metrics that were
   * not computed (no weights) are left out rather than written as numbers.
   *
   * @param methodKey the method's column prefix, e.g. {@code 1_directinversion+p2p}
   * @param metrics the requested metrics in order
   * @param rows the results
   * @return the CSV text
   */
  public static String csv(String methodKey, List<PieBenchMetric> metrics, List<Row> rows) {
    List<PieBenchMetric> columns = computedColumns(metrics, rows);
    StringBuilder sb = new StringBuilder("file_id");
    for (PieBenchMetric m : columns) {
      sb.append(',').append(methodKey).append('|').append(m.column());
    }
    sb.append('\n');
    for (Row r : rows) {
      sb.append(r.key());
      for (PieBenchMetric m : columns) {
        sb.append(',').append(format(m, r.scores().get(m)));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * A Markdown summary: per metric the mean over the entries where it was computed (finite values), the count, and the
   * metrics not computed; it names the masking convention.
   *
   * @param methodKey the method
   * @param metrics the requested metrics
   * @param result the rows, and the skipped items (listed after the means)
   * @return the summary
   */
  public static String summary(String methodKey, List<PieBenchMetric> metrics, Result result) {
    StringBuilder sb = new StringBuilder(summary(methodKey, metrics, result.rows()));
    if (!result.failed().isEmpty()) {
      sb.append("\nSkipped (").append(result.failed().size()).append("):\n\n");
      result.failed().forEach((k, why) -> sb.append("- ").append(k).append(": ").append(why).append('\n'));
    }
    return sb.toString();
  }

  /**
   * The summary of rows alone (see {@link #summary(String, List, Result)}).
   *
   * @param methodKey the method
   * @param metrics the requested metrics
   * @param rows the results
   * @return the summary
   */
  public static String summary(String methodKey, List<PieBenchMetric> metrics, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("# PIE-Bench evaluation: ").append(methodKey).append("\n\n");
    sb.append(rows.size()).append(" entries. Metrics as PnPInversion's evaluate.py computes them (torchmetrics 1.2.0); ")
        .append("parts of the image under PIE-Bench's convention (both images multiplied by the mask, means over all ")
        .append("pixels). PSNR in dB; MSE on [0, 1] (the PnPInversion paper prints it x10^4); structure distance as is ")
        .append("(the paper prints it x10^3).\n\n");
    sb.append("| metric | mean | entries |\n|---|---|---|\n");
    List<String> missing = new ArrayList<>();
    for (PieBenchMetric m : metrics) {
      double sum = 0;
      int n = 0;
      boolean computedAnywhere = false;
      for (Row r : rows) {
        Score s = r.scores().get(m);
        if (s != null && s.computed()) {
          computedAnywhere = true;
          if (Double.isFinite(s.value())) {
            sum += s.value();
            n++;
          }
        }
      }
      if (!computedAnywhere && rows.stream().anyMatch(r -> r.scores().get(m) != null
          && r.scores().get(m).why().startsWith("not computed"))) {
        missing.add(m.column());
        continue;
      }
      sb.append("| ").append(m.column()).append(" | ")
          .append(n == 0 ? "nan" : String.format(Locale.ROOT, "%.6g", sum / n)).append(" | ").append(n).append(" |\n");
    }
    if (!missing.isEmpty()) {
      sb.append("\nNot computed (no weights given): ").append(String.join(", ", missing)).append(".\n");
    }
    return sb.toString();
  }

  private static List<PieBenchMetric> computedColumns(List<PieBenchMetric> metrics, List<Row> rows) {
    List<PieBenchMetric> out = new ArrayList<>();
    for (PieBenchMetric m : metrics) {
      boolean notComputed = !rows.isEmpty() && rows.stream().allMatch(r -> r.scores().get(m) != null
          && r.scores().get(m).why().startsWith("not computed"));
      if (!notComputed) {
        out.add(m);
      }
    }
    return out;
  }

  /** As evaluate.py writes one cell. */
  static String format(PieBenchMetric m, Score s) {
    if (s == null || !s.computed()) {
      return "nan";
    }
    float f = (float) s.value(); // every reference value is a float32
    return m.kind() == PieBenchMetric.Kind.STRUCTURE ? PythonFloats.float32(f) : PythonFloats.repr(f);
  }

  private static final String[] TYPE_NAMES = {"random", "change object", "add object", "delete object",
      "change content", "change pose", "change color", "change material", "change background", "change style"};

  /**
   * PIE-Bench's table (PnPInversion's and TODInv's Table 1 columns and units), per edit type and over all entries:
   * structure distance x10^3; background preservation (the unedited part) PSNR, LPIPS x10^3, MSE x10^4, SSIM x10^2;
   * CLIP similarity of the whole edit and of the edited part; seconds per image when known. Means over the entries where
   * the metric was computed and finite; {@code n/c} where it was not computed (no weights).
   *
   * @param rows the scores
   * @param seconds entry id → seconds per image (may be empty)
   * @return a Markdown table
   */
  public static String table(List<Row> rows, Map<String, Double> seconds) {
    StringBuilder sb = new StringBuilder("| edit type | entries | structure dist. x10^3 | PSNR | LPIPS x10^3 | "
        + "MSE x10^4 | SSIM x10^2 | CLIP whole | CLIP edited | s/image |\n|---|---|---|---|---|---|---|---|---|---|\n");
    java.util.TreeMap<String, List<Row>> byType = new java.util.TreeMap<>();
    for (Row r : rows) {
      byType.computeIfAbsent(r.editingTypeId(), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<Row>> e : byType.entrySet()) {
      sb.append(tableRow(typeName(e.getKey()), e.getValue(), seconds));
    }
    sb.append(tableRow("**all**", rows, seconds));
    return sb.toString();
  }

  /** @return "6 change color" for "6"; the id itself where it is not one of PIE-Bench's ten types */
  public static String typeName(String id) {
    try {
      int t = Integer.parseInt(id);
      return t >= 0 && t < TYPE_NAMES.length ? t + " " + TYPE_NAMES[t] : id;
    } catch (NumberFormatException e) {
      return id.isEmpty() ? "(none)" : id;
    }
  }

  /**
   * The mean of a metric over the rows where it was computed and is finite.
   *
   * @return the mean, or NaN where no row has a value
   */
  public static double mean(List<Row> rows, PieBenchMetric metric) {
    double sum = 0;
    int n = 0;
    for (Row r : rows) {
      Score s = r.scores().get(metric);
      if (s != null && s.computed() && Double.isFinite(s.value())) {
        sum += s.value();
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static String tableRow(String label, List<Row> rows, Map<String, Double> seconds) {
    Object[][] cols = {{PieBenchMetric.STRUCTURE_DISTANCE, 1e3}, {PieBenchMetric.PSNR_UNEDIT_PART, 1.0},
        {PieBenchMetric.LPIPS_UNEDIT_PART, 1e3}, {PieBenchMetric.MSE_UNEDIT_PART, 1e4},
        {PieBenchMetric.SSIM_UNEDIT_PART, 1e2}, {PieBenchMetric.CLIP_SIMILARITY_TARGET_IMAGE, 1.0},
        {PieBenchMetric.CLIP_SIMILARITY_TARGET_IMAGE_EDIT_PART, 1.0}};
    StringBuilder sb = new StringBuilder("| ").append(label).append(" | ").append(rows.size());
    for (Object[] c : cols) {
      PieBenchMetric m = (PieBenchMetric) c[0];
      boolean notComputed = rows.stream().map(r -> r.scores().get(m))
          .anyMatch(s -> s == null || (!s.computed() && s.why().startsWith("not computed")));
      double mean = mean(rows, m);
      sb.append(" | ").append(Double.isFinite(mean) ? String.format(Locale.ROOT, "%.2f", mean * (double) c[1])
          : notComputed ? "n/c" : "nan");
    }
    double t = 0;
    int nt = 0;
    for (Row r : rows) {
      Double s = seconds.get(r.key());
      if (s != null) {
        t += s;
        nt++;
      }
    }
    return sb.append(" | ").append(nt == 0 ? "-" : String.format(Locale.ROOT, "%.1f", t / nt)).append(" |\n").toString();
  }
}
