package io.ptinv.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.image.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench speed} on a random-weight model of the golden tiny model's architecture. */
class BenchSpeedTest {

  @Test
  void timesEveryStageOfEachMethodAndWritesJsonAndBars(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("speed");
    String[] r = CliTesting.runCapturing("bench", "speed", "--config-dir", CliTesting.MODEL, "--size", "32", "--steps",
        "2", "--repeats", "1", "--methods", "ddim,pti,todinv", "--device", "cpu", "-o", out.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("method").contains("PTI N=1").contains("tune s");
    JsonNode json = new ObjectMapper().readTree(out.resolve("speed.json").toFile());
    assertThat(json.get("size").asInt()).isEqualTo(32);
    assertThat(json.get("steps").asInt()).isEqualTo(2);
    JsonNode rows = json.get("rows");
    assertThat(rows).hasSize(3);
    JsonNode ddim = rows.get(0);
    JsonNode pti = rows.get(1);
    JsonNode todinv = rows.get(2);
    // DDIM editing has no tuning stage; PTI has all five; TODInv inverts inside its tuning loop
    assertThat(names(ddim)).containsExactly("encode", "invert", "edit", "decode");
    assertThat(names(pti)).containsExactly("encode", "invert", "tune", "edit", "decode");
    assertThat(names(todinv)).containsExactly("encode", "tune", "edit", "decode");
    for (JsonNode row : rows) {
      double sum = 0;
      for (JsonNode v : row.get("stage_seconds")) {
        assertThat(v.asDouble()).isPositive();
        sum += v.asDouble();
      }
      // one repeat: the median of each stage is that run's, and the stages add up to the edit
      assertThat(row.get("total_seconds").asDouble()).isCloseTo(sum, within(1e-9));
      assertThat(row.get("peak_gpu_bytes").asLong()).isEqualTo(-1); // CPU
      assertThat(row.get("peak_resident_bytes").asLong()).satisfiesAnyOf(b -> assertThat(b).isEqualTo(-1),
          b -> assertThat(b).isGreaterThan(1L << 20));
    }
    var bars = Images.read(out.resolve("stages.png"));
    assertThat(bars.getWidth()).isEqualTo(800);
  }

  @Test
  void badSizeIsOneLineBeforeAnyWork(@TempDir Path dir) {
    String[] r = CliTesting.runCapturing("bench", "speed", "--config-dir", CliTesting.MODEL, "--size", "30",
        "--device", "cpu", "-o", dir.resolve("s").toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2].strip().lines()).hasSize(1);
    assertThat(r[2]).contains("--size").contains("multiple of 8");
    assertThat(Files.exists(dir.resolve("s").resolve("speed.json"))).isFalse();
  }

  private static java.util.List<String> names(JsonNode row) {
    java.util.List<String> out = new java.util.ArrayList<>();
    row.get("stage_seconds").fieldNames().forEachRemaining(out::add);
    return out;
  }
}
