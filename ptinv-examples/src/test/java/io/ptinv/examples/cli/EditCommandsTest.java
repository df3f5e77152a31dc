package io.ptinv.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.image.Images;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** invert, edit (from an image and from a trajectory) and sweep on the golden tiny model, end to end. */
class EditCommandsTest {
  static final String MODEL = Path.of(System.getProperty("ptinv.golden.dir", "../../shared/golden"), "tiny-sd").toString();
  @TempDir Path dir;

  private static int run(StringWriter err, String... args) {
    CommandLine cli = Main.configure(new CommandLine(new Main()));
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    return cli.execute(args);
  }

  private Path input() {
    Path in = dir.resolve("in.png");
    Images.write(Images.resize(new io.ptinv.examples.shapes.ShapesDataset(1).sample(0).image(), 128, 128), in);
    return in;
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
    assertThat(run(new StringWriter(), "bench", "shapes", "--model", shapes, "--methods", "vae,ddim", "--generation-cases", "0",
        "--reconstruction-cases", "1", "--edit-cases", "0", "--steps", "3", "-o", out.toString())).isEqualTo(0);
    String report = Files.readString(out.resolve("report.md"));
    assertThat(report).contains("| VAE only |").contains("| DDIM").doesNotContain("| NTI").doesNotContain("| PTI");
  }
}
