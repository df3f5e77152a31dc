package io.ptinv.examples.bench;

import io.ptinv.image.Images;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.ptinv.eval.Plots;

/** Writes benchmark results as CSV, a Markdown report and the fidelity/editability trade-off plot (XChart). */
public final class BenchmarkReport {
  private BenchmarkReport() {}

  public static void write(Path dir, String header, ShapesBenchmark.Generation gen, List<ShapesBenchmark.Reconstruction> rec,
      List<ShapesBenchmark.Edit> edits) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("edits.csv"), csv(edits));
      if (!rec.isEmpty()) {
        Files.writeString(dir.resolve("reconstruction.csv"), reconstructionCsv(rec));
      }
      if (gen != null) {
        Files.writeString(dir.resolve("generation.csv"), csv(gen));
      }
      Files.writeString(dir.resolve("report.md"), markdown(header, gen, rec, edits));
      Images.write(plot(edits), dir.resolve("tradeoff.png"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + dir, e);
    }
  }

  static String csv(List<ShapesBenchmark.Edit> edits) {
    StringBuilder sb = new StringBuilder("method,edit,eta,cases,success_rate,unchanged_psnr_db,unchanged_ssim,"
        + "measured_cases,inversion_s,edit_s\n");
    for (ShapesBenchmark.Edit e : edits) {
      sb.append(String.format(Locale.ROOT, "%s,%s,%.2f,%d,%.4f,%.3f,%.4f,%d,%.3f,%.3f%n", quote(e.method()), e.type(), e.eta(),
          e.cases(), e.successRate(), e.unchangedPsnr(), e.unchangedSsim(), e.measuredCases(), e.inversionSeconds(),
          e.editSeconds()));
    }
    return sb.toString();
  }

  /** A CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break. */
  static String quote(String field) {
    return field.matches("(?s).*[,\"\n\r].*") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
  }

  static String reconstructionCsv(List<ShapesBenchmark.Reconstruction> rec) {
    StringBuilder sb = new StringBuilder("method,psnr_db,ssim,seconds_per_image\n");
    for (ShapesBenchmark.Reconstruction r : rec) {
      sb.append(String.format(Locale.ROOT, "%s,%.3f,%.4f,%.3f%n", quote(r.method()), r.psnr(), r.ssim(), r.secondsPerImage()));
    }
    return sb.toString();
  }

  /** One row per generated caption: what it asked for, what the analyser found ("none" where nothing). */
  static String csv(ShapesBenchmark.Generation gen) {
    StringBuilder sb = new StringBuilder("caption,seed,color,shape,background,found_color,found_shape,found_background,correct\n");
    for (ShapesBenchmark.GeneratedCase c : gen.results()) {
      sb.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%s,%s,%s,%s,%b%n", c.caption(), c.seed(), name(c.askedColor()),
          name(c.askedShape()), name(c.askedBackground()), name(c.color()), name(c.shape()), name(c.background()),
          c.correct()));
    }
    return sb.toString();
  }

  private static String name(io.ptinv.examples.shapes.Palette p) {
    return p == null ? "none" : p.word();
  }

  private static String name(io.ptinv.examples.shapes.ShapeKind k) {
    return k == null ? "none" : k.word();
  }

  static String markdown(String header, ShapesBenchmark.Generation gen, List<ShapesBenchmark.Reconstruction> rec,
      List<ShapesBenchmark.Edit> edits) {
    StringBuilder sb = new StringBuilder(header).append("\n\n");
    if (gen != null) {
      sb.append(String.format(Locale.ROOT, "### Generation%n%n%d captions, all three attributes correct: **%.1f%%** "
          + "(%d), %.2f s per image. Each attribute: colour %.1f%%, shape %.1f%%, background %.1f%%.%n%n", gen.cases(),
          100 * gen.accuracy(), gen.correct(), gen.secondsPerImage(), 100.0 * gen.colorCorrect() / gen.cases(),
          100.0 * gen.shapeCorrect() / gen.cases(), 100.0 * gen.backgroundCorrect() / gen.cases()));
    }
    if (!rec.isEmpty()) {
      sb.append("### Reconstruction (η = 0)\n\n| method | PSNR (dB) | SSIM | s / image |\n|---|---|---|---|\n");
      for (ShapesBenchmark.Reconstruction r : rec) {
        sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.4f | %.2f |%n", r.method(), r.psnr(), r.ssim(), r.secondsPerImage()));
      }
      sb.append('\n');
    }
    if (!edits.isEmpty()) {
      sb.append("### Editing\n\nSuccess: the analyser finds the target attribute. Unchanged: PSNR / SSIM of the region "
          + "that should not change (outside both shapes for colour and shape edits, inside the shape for background "
          + "edits; averaged over the cases where that region is not empty). Seconds: one inversion (DDIM and NTI "
          + "invert each image once for its three edits) and one edit at one η.\n\n| method | edit | η | success | "
          + "unchanged PSNR (dB) | unchanged SSIM | inversion s | edit s |\n|---|---|---|---|---|---|---|---|\n");
      for (ShapesBenchmark.Edit e : edits) {
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.0f%% | %.2f | %.4f | %.2f | %.2f |%n", e.method(),
            e.type(), e.eta(), 100 * e.successRate(), e.unchangedPsnr(), e.unchangedSsim(), e.inversionSeconds(),
            e.editSeconds()));
      }
    }
    return sb.toString();
  }

  /** Success rate (all edit types) against unchanged-region PSNR, one series per method over eta. */
  static BufferedImage plot(List<ShapesBenchmark.Edit> edits) {
    Map<String, Map<Double, double[]>> byMethod = new LinkedHashMap<>();
    for (ShapesBenchmark.Edit e : edits) {
      double[] a = byMethod.computeIfAbsent(e.method(), k -> new java.util.TreeMap<>()).computeIfAbsent(e.eta(), k -> new double[4]);
      if (Double.isFinite(e.unchangedPsnr())) {
        a[0] += e.unchangedPsnr();
        a[3]++;
      }
      a[1] += e.successRate();
      a[2]++;
    }
    Map<String, List<Plots.Point>> series = new LinkedHashMap<>();
    byMethod.forEach((method, points) -> {
      List<Plots.Point> line = new ArrayList<>();
      points.values().forEach(a -> line.add(new Plots.Point(a[3] > 0 ? a[0] / a[3] : Double.NaN, a[1] / a[2])));
      series.put(method, line);
    });
    return Plots.curves("Fidelity vs editability over eta", "unchanged-region PSNR (dB)", "edit success rate", series);
  }
}
