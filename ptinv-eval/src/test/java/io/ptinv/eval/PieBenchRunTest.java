package io.ptinv.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ptinv.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: pie-bench-mini read as evaluate.py reads it (JPEG decoding, the 2048x512 strips cropped, masks, prompts
 * without brackets), all 18 metrics, against the CSV that evaluate.py wrote for the same files.
 */
class PieBenchRunTest {
  private static final String METHOD = "1_directinversion+p2p";

  @Test
  void theCsvMatchesEvaluatePyCellByCell() throws IOException {
    try (GoldenMetrics golden = new GoldenMetrics();
        PieBenchEvaluator evaluator = PieBenchEvaluator.load(golden.dir.resolve("weights"))) {
      Path mini = golden.dir.resolve("pie-bench-mini");
      List<PieBenchEntry> entries = PieBench.readMapping(mini.resolve("mapping_file.json")).entries();
      List<PieBenchMetric> metrics = Arrays.asList(PieBenchMetric.values());
      List<PieBenchRun.Row> rows = PieBenchRun.run(entries, mini.resolve("annotation_images"),
          mini.resolve("edited/directinversion+p2p/annotation_images"), evaluator, metrics, null, n -> { }).rows();
      String ours = PieBenchRun.csv(METHOD, metrics, rows);
      List<String> expected = Files.readAllLines(mini.resolve("expected.csv"));
      List<String> got = ours.lines().toList();
      assertThat(got.get(0)).isEqualTo(expected.get(0));
      assertThat(got).hasSameSizeAs(expected);
      double[][] tol = new double[metrics.size()][];
      for (int j = 0; j < metrics.size(); j++) {
        tol[j] = golden.tolerance(switch (metrics.get(j).kind()) {
          case PSNR -> "psnr";
          case MSE -> "mse";
          case SSIM -> "ssim";
          case LPIPS -> "lpips";
          case STRUCTURE -> "structure_distance";
          case CLIP -> "clip_similarity";
        });
      }
      for (int i = 1; i < expected.size(); i++) {
        String[] e = expected.get(i).split(",");
        String[] g = got.get(i).split(",");
        assertThat(g[0]).isEqualTo(e[0]);
        for (int j = 1; j < e.length; j++) {
          String what = e[0] + " " + metrics.get(j - 1).column();
          if (e[j].equals("nan") || e[j].equals("inf")) {
            assertThat(g[j]).as(what).isEqualTo(e[j]);
            continue;
          }
          double ref = Double.parseDouble(e[j]);
          double v = Double.parseDouble(g[j]);
          assertThat(Math.abs(v - ref)).as("%s: ours %s, evaluate.py %s", what, g[j], e[j])
              .isLessThanOrEqualTo(tol[j - 1][0] + tol[j - 1][1] * Math.abs(ref));
        }
      }
      String summary = PieBenchRun.summary(METHOD, metrics, rows);
      assertThat(summary).contains("PIE-Bench's convention").contains("| psnr_unedit_part |").doesNotContain("Not computed");
    }
  }

  /** evaluate.py's number formatting, checked by writing back every value of its own CSV. */
  @Test
  void numbersAreWrittenAsPythonAndNumpyWriteThem() throws IOException {
    try (GoldenMetrics golden = new GoldenMetrics()) {
      List<String> expected = Files.readAllLines(golden.dir.resolve("pie-bench-mini/expected.csv"));
      String[] header = expected.get(0).split(",");
      for (int i = 1; i < expected.size(); i++) {
        String[] cells = expected.get(i).split(",");
        for (int j = 1; j < cells.length; j++) {
          PieBenchMetric m = PieBenchMetric.ofColumn(header[j].substring(header[j].indexOf('|') + 1));
          Score s = cells[j].equals("nan") ? Score.skipped("empty mask") : Score.of(Double.parseDouble(cells[j]));
          assertThat(PieBenchRun.format(m, s)).as(header[j]).isEqualTo(cells[j]);
        }
      }
    }
    assertThat(PythonFloats.repr(1e-05)).isEqualTo("1e-05");
    assertThat(PythonFloats.repr(0.0001)).isEqualTo("0.0001");
    assertThat(PythonFloats.repr(1e16)).isEqualTo("1e+16");
    assertThat(PythonFloats.repr(123.0)).isEqualTo("123.0");
    assertThat(PythonFloats.repr(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    assertThat(PythonFloats.float32(1.2345e-5f)).isEqualTo("1.2345e-05");
  }

  @Test
  void withoutWeightsTheNetworkMetricsAreNotComputedAndLeftOut() throws IOException {
    try (GoldenMetrics golden = new GoldenMetrics(); PieBenchEvaluator pixelsOnly = PieBenchEvaluator.load(null)) {
      Path mini = golden.dir.resolve("pie-bench-mini");
      List<PieBenchEntry> entries = PieBench.readMapping(mini.resolve("mapping_file.json")).entries().subList(0, 1);
      List<PieBenchMetric> metrics = Arrays.asList(PieBenchMetric.values());
      List<PieBenchRun.Row> rows = PieBenchRun.run(entries, mini.resolve("annotation_images"),
          mini.resolve("edited/directinversion+p2p/annotation_images"), pixelsOnly, metrics, null, n -> { }).rows();
      String csv = PieBenchRun.csv(METHOD, metrics, rows);
      assertThat(csv.lines().findFirst().orElseThrow()).contains("|psnr").contains("|ssim_edit_part")
          .doesNotContain("lpips").doesNotContain("clip").doesNotContain("structure");
      assertThat(PieBenchRun.summary(METHOD, metrics, rows)).contains("Not computed (no weights given): lpips");
    }
  }

  @Test
  void aMalformedMappingIsNamed(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("mapping_file.json"), "{\"000\": {\"image_path\": \"a.jpg\"}, \"001\": "
        + "{\"image_path\": \"b.jpg\", \"original_prompt\": \"a\", \"editing_prompt\": \"b\", \"mask\": [1, 2, 3]}}");
    PieBench.Mapping m = PieBench.readMapping(f);
    assertThat(m.entries()).isEmpty();
    assertThat(m.invalid()).containsEntry("000", "no original_prompt").containsKey("001");
    Path notObject = Files.writeString(dir.resolve("list.json"), "[1, 2]");
    assertThatThrownBy(() -> PieBench.readMapping(notObject)).isInstanceOf(io.ptinv.ModelLoadException.class)
        .hasMessageContaining("list.json");
    assertThatThrownBy(() -> PieBench.readMapping(dir.resolve("none.json"))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> PieBenchMetric.ofColumn("psnr_whole")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("psnr_whole");
  }
}
