package io.ptinv.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ptinv eval score} on pie-bench-mini: evaluate.py's CSV, bad items skipped and listed, restarts resume. */
class EvalScoreTest {
  static final Path GOLDEN = Path.of(System.getProperty("ptinv.golden.metrics.dir", "../../shared/golden-metrics"));

  private static String[] run(String... args) {
    return CliTesting.runCapturing(args);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  void scoresResumesAndReportsBadItems(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("data");
    copyTree(GOLDEN.resolve("pie-bench-mini"), data);
    ObjectMapper json = new ObjectMapper();
    ObjectNode mapping = (ObjectNode) json.readTree(data.resolve("mapping_file.json").toFile());
    ObjectNode missing = mapping.putObject("999000000001");
    missing.put("image_path", "9_change_style_80/none.jpg").put("original_prompt", "a").put("editing_prompt", "b");
    missing.putArray("mask").add(0).add(10);
    mapping.putObject("999000000002").put("image_path", "x.jpg");
    json.writeValue(data.resolve("mapping_file.json").toFile(), mapping);
    Path edited = data.resolve("edited/directinversion+p2p/annotation_images");
    Path out = dir.resolve("out");
    String[] args = {"eval", "score", "--data", data.toString(), "--edited", edited.toString(), "--name",
        "1_directinversion+p2p", "--metrics-weights", GOLDEN.resolve("weights").toString(), "-o", out.toString()};

    String[] first = run(args);
    assertThat(first[0]).as(first[2]).isEqualTo("0");
    assertThat(first[1]).contains("scored 3 of 5 entries").contains("2 skipped").contains("999000000001")
        .contains("999000000002");
    List<String> csv = Files.readAllLines(out.resolve("evaluation_result.csv"));
    List<String> expected = Files.readAllLines(data.resolve("expected.csv"));
    assertThat(csv.get(0)).isEqualTo(expected.get(0));
    assertThat(csv).hasSize(4);
    for (int i = 1; i < 4; i++) {
      String[] ours = csv.get(i).split(",");
      String[] ref = expected.get(i).split(",");
      assertThat(ours[0]).isEqualTo(ref[0]);
      // PSNR column: within the golden tolerance (5e-5 dB); nan cells as the reference writes them
      assertThat(ours[6]).as("psnr_unedit_part of %s", ref[0]).satisfiesAnyOf(
          v -> assertThat(v).isEqualTo(ref[6]).isEqualTo("nan"),
          v -> assertThat(Math.abs(Double.parseDouble(v) - Double.parseDouble(ref[6]))).isLessThan(5e-5));
    }
    assertThat(Files.readString(out.resolve("summary.md"))).contains("Skipped (2)").contains("999000000001");

    // a restarted run reuses the finished items: even with an output gone, the same three rows come back
    try (Stream<Path> items = Files.list(out.resolve("items"))) {
      assertThat(items.count()).isEqualTo(3);
    }
    Files.delete(edited.resolve("9_change_style_80/2_natural/4_outdoor/924000000002.jpg"));
    String[] second = run(args);
    assertThat(second[0]).isEqualTo("0");
    assertThat(Files.readAllLines(out.resolve("evaluation_result.csv"))).isEqualTo(csv);
  }

  @Test
  void aFolderThatIsNotADatasetIsOneLine(@TempDir Path dir) {
    String[] r = run("eval", "score", "--data", dir.toString(), "--edited", dir.toString(), "-o", dir.resolve("o").toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2].strip()).startsWith("ptinv: --data: ").contains("annotation_images");
  }
}
