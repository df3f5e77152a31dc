package io.ptinv.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ptinv bench precision} on the CPU: bf16 against fp32 with the golden tiny UNet's config. */
class BenchPrecisionTest {
  private static final String CONFIG = Path.of(CliTesting.MODEL, "unet", "config.json").toString();

  /** The numbers of the row of {@code precision}: eps rel L2, eps cosine, grad rel L2, grad cosine. */
  private static double[] row(String out, String precision) {
    String line = out.lines().filter(l -> l.startsWith(precision + " ")).findFirst().orElseThrow();
    List<String> cells = List.of(line.trim().split("\\s+"));
    assertThat(cells.get(5)).as(line).isEqualTo("yes");
    return new double[] {Double.parseDouble(cells.get(1)), Double.parseDouble(cells.get(2)),
        Double.parseDouble(cells.get(3)), Double.parseDouble(cells.get(4))};
  }

  @Test
  void bf16FollowsFp32AndFp32ReproducesItself() {
    String[] r = CliTesting.runCapturing("bench", "precision", "--config", CONFIG, "--device", "cpu", "--precisions",
        "fp32,bf16");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    double[] fp32 = row(r[1], "fp32");
    assertThat(fp32[0]).as("same seed, same weights").isZero();
    assertThat(fp32[2]).isZero();
    double[] bf16 = row(r[1], "bf16");
    // bf16 keeps 8 bits of mantissa: a few percent of error, but the same direction
    assertThat(bf16[0]).isGreaterThan(0).isLessThan(0.1);
    assertThat(bf16[1]).isGreaterThan(0.99);
    assertThat(bf16[2]).isGreaterThan(0).isLessThan(0.2);
    assertThat(bf16[3]).isGreaterThan(0.99);
  }

  @Test
  void fp16OnTheCpuIsOneLineBeforeAnyWork() {
    String[] r = CliTesting.runCapturing("bench", "precision", "--config", CONFIG, "--device", "cpu", "--precisions",
        "fp16");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).doesNotContain("eps rel L2");
    assertThat(r[2].strip().lines()).hasSize(1);
    assertThat(r[2]).contains("precision").contains("fp16 needs a CUDA device");
  }
}
