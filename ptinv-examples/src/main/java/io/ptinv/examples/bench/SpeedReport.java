package io.ptinv.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ptinv.Stage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code bench speed}'s outputs: a terminal table, JSON, and per-stage time bars (XChart). */
public final class SpeedReport {
  private static final List<Stage> STAGES = io.ptinv.eval.Plots.EDIT_STAGES;

  private SpeedReport() {}

  /** A fixed-width table: one row per method, seconds per stage, total, peak memory. */
  public static String table(List<SpeedBenchmark.Row> rows) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s", "method"));
    STAGES.forEach(s -> sb.append(String.format(Locale.ROOT, "%10s", name(s) + " s")));
    sb.append(String.format(Locale.ROOT, "%10s%12s%12s%n", "total s", "peak RSS", "peak GPU"));
    for (SpeedBenchmark.Row r : rows) {
      sb.append(String.format(Locale.ROOT, "%-20s", r.method()));
      for (Stage s : STAGES) {
        Double v = r.stageSeconds().get(s);
        sb.append(v == null ? String.format(Locale.ROOT, "%10s", "-") : String.format(Locale.ROOT, "%10.2f", v));
      }
      sb.append(String.format(Locale.ROOT, "%10.2f%12s%12s%n", r.totalSeconds(), gib(r.peakResidentBytes()),
          gib(r.peakGpuBytes())));
    }
    return sb.toString();
  }

  /** The run's settings and rows as JSON (seconds, bytes; -1 where a peak is not reported). */
  public static String json(Map<String, Object> settings, List<SpeedBenchmark.Row> rows) {
    Map<String, Object> root = new LinkedHashMap<>(settings);
    List<Map<String, Object>> out = new ArrayList<>();
    for (SpeedBenchmark.Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", r.method());
      Map<String, Double> stages = new LinkedHashMap<>();
      r.stageSeconds().forEach((s, v) -> stages.put(name(s), v));
      m.put("stage_seconds", stages);
      m.put("total_seconds", r.totalSeconds());
      m.put("peak_resident_bytes", r.peakResidentBytes());
      m.put("peak_gpu_bytes", r.peakGpuBytes());
      out.add(m);
    }
    root.put("rows", out);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the JSON report", e);
    }
  }

  /** Stacked bars: one bar per method, one segment per stage (median seconds). */
  public static BufferedImage bars(String title, List<SpeedBenchmark.Row> rows) {
    Map<String, Map<Stage, Double>> seconds = new LinkedHashMap<>();
    rows.forEach(r -> seconds.put(r.method(), r.stageSeconds()));
    return io.ptinv.eval.Plots.stageBars(title, "method", "seconds (median)", seconds);
  }

  private static String name(Stage s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  private static String gib(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
  }
}
