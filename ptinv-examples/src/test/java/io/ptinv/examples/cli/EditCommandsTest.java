package io.ptinv.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.image.Images;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** invert, edit (from an image and from a trajectory) and sweep on the golden tiny model, end to end. */
class EditCommandsTest {
  static final String MODEL = CliTesting.MODEL;
  @TempDir Path dir;

  private static int run(StringWriter err, String... args) {
    return CliTesting.run(err, args);
  }

  private Path input() {
    return CliTesting.input(dir);
  }

  @Test
  void invertEditAndSweepWriteTheirFiles() {
    Path in = input();
    StringWriter err = new StringWriter();
    Path traj = dir.resolve("t.safetensors");
    assertThat(run(err, "invert", "--model", MODEL, "--image", in.toString(), "--prompt", "a red circle", "--steps", "3",
        "-o", traj.toString())).as(err.toString()).isZero();
    assertThat(traj).isRegularFile();
    Path fromTraj = dir.resolve("a.png");
    assertThat(run(err, "edit", "--model", MODEL, "--trajectory", traj.toString(), "--prompt", "a green circle",
        "--eta", "0.5", "-o", fromTraj.toString())).as(err.toString()).isZero();
    assertThat(Images.read(fromTraj).getWidth()).isEqualTo(128);
    Path fromImage = dir.resolve("b.png");
    assertThat(run(err, "edit", "--model", MODEL, "--image", in.toString(), "--prompt", "a green circle", "--steps", "3",
        "--local-blend", "green", "--reweight", "circle=1.5", "-o", fromImage.toString())).as(err.toString()).isZero();
    assertThat(fromImage).isRegularFile();
    Path sweep = dir.resolve("sweep");
    assertThat(run(err, "sweep", "--model", MODEL, "--image", in.toString(), "--prompt", "a green circle", "--steps", "2",
        "--etas", "0,1", "-o", sweep.toString())).as(err.toString()).isZero();
    assertThat(sweep.resolve("eta-0.00.png")).isRegularFile();
    assertThat(sweep.resolve("eta-1.00.png")).isRegularFile();
    assertThat(Images.read(sweep.resolve("contact-sheet.png")).getWidth()).isGreaterThan(4 * 256);
  }

  @Test
  void badArgumentsAreOneLineAndExitCodeTwo() throws Exception {
    Path in = input();
    StringWriter err = new StringWriter();
    assertThat(run(err, "edit", "--model", MODEL, "--image", in.toString(), "--prompt", "x", "--eta", "1.5",
        "-o", dir.resolve("x.png").toString())).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("ptinv: eta: expected a value in [0, 1] but got 1.5");
    StringWriter err2 = new StringWriter();
    assertThat(run(err2, "sweep", "--model", MODEL, "--image", in.toString(), "--prompt", "x", "--etas", "0,abc",
        "-o", dir.toString())).isEqualTo(2);
    assertThat(err2.toString()).contains("--etas").doesNotContain("Exception");
    StringWriter err3 = new StringWriter();
    assertThat(run(err3, "edit", "--model", MODEL, "--image", dir.resolve("missing.png").toString(), "--prompt", "x",
        "-o", dir.resolve("y.png").toString())).isEqualTo(2);
    assertThat(err3.toString()).contains("missing.png");
    assertThat(Files.exists(dir.resolve("x.png"))).isFalse();
  }

  @Test
  void benchShapesMeasuresOnlyTheChosenMethods() throws Exception {
    StringWriter err = new StringWriter();
    assertThat(run(err, "bench", "shapes", "--model", MODEL, "--methods", "vae,frob", "-o", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--methods").contains("frob").contains("pti-blend").doesNotContain("Exception");

    Path out = dir.resolve("bench");
    String shapes = Path.of(System.getProperty("ptinv.home", "..")).resolve("models/shapes").toString();
    assertThat(run(new StringWriter(), "bench", "shapes", "--model", shapes, "--methods", "vae,ddim", "--generation-cases", "3",
        "--reconstruction-cases", "1", "--edit-cases", "0", "--steps", "3", "-o", out.toString())).isEqualTo(0);
    String report = Files.readString(out.resolve("report.md"));
    assertThat(report).contains("| VAE only |").contains("| DDIM").doesNotContain("| NTI").doesNotContain("| PTI");

    // generation.csv: one row per caption; "correct" is exactly "all three found attributes as asked", and
    // the report's count is the number of correct rows
    List<String> rows = Files.readAllLines(out.resolve("generation.csv"));
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0)).isEqualTo("caption,seed,color,shape,background,found_color,found_shape,found_background,correct");
    int correct = 0;
    for (String row : rows.subList(1, 4)) {
      String[] f = row.split(",");
      assertThat(f).hasSize(9);
      assertThat(f[0]).isEqualTo("a " + f[2] + " " + f[3] + " on a " + f[4] + " background");
      boolean all = f[2].equals(f[5]) && f[3].equals(f[6]) && f[4].equals(f[7]);
      assertThat(Boolean.parseBoolean(f[8])).isEqualTo(all);
      correct += all ? 1 : 0;
    }
    assertThat(report).contains(String.format(java.util.Locale.ROOT, "**%.1f%%** (%d)", 100.0 * correct / 3, correct));
  }

  @Test
  void benchShapesMeasuresEachBlendThreshold() throws Exception {
    StringWriter err = new StringWriter();
    assertThat(run(err, "bench", "shapes", "--model", MODEL, "--blend-thresholds", "0.3,1.2", "-o", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--blend-thresholds").contains("1.2").doesNotContain("Exception");

    Path out = dir.resolve("blend");
    String shapes = Path.of(System.getProperty("ptinv.home", "..")).resolve("models/shapes").toString();
    assertThat(run(new StringWriter(), "bench", "shapes", "--model", shapes, "--methods", "pti-blend", "--blend-thresholds",
        "0.05,0.95", "--generation-cases", "0", "--reconstruction-cases", "0", "--edit-cases", "1", "--etas", "1",
        "--steps", "4", "-o", out.toString())).isEqualTo(0);
    List<String> low = new java.util.ArrayList<>();
    List<String> high = new java.util.ArrayList<>();
    for (String row : Files.readAllLines(out.resolve("edits.csv"))) {
      (row.startsWith("PTI + local blend τ=0.05,") ? low : row.startsWith("PTI + local blend τ=0.95,") ? high : new java.util.ArrayList<String>()).add(row);
    }
    // 3 edit types x (eta 1 and the model's recommended eta) for each threshold
    assertThat(low).hasSizeGreaterThanOrEqualTo(3).hasSameSizeAs(high);
    // a near-empty mask keeps the reconstruction almost everywhere, a near-full one the edit: different images
    for (int i = 0; i < low.size(); i++) {
      assertThat(high.get(i).split(",", 2)[1]).isNotEqualTo(low.get(i).split(",", 2)[1]);
    }
  }
}
