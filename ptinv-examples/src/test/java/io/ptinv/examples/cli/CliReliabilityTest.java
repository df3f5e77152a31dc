package io.ptinv.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.examples.bench.Soak;
import io.ptinv.image.Images;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * What a user gets wrong is found before any work (the model is never loaded: a missing --model would be reported
 * otherwise), in one line with exit code 2; any other error is one line too.
 */
class CliReliabilityTest {
  private static final String MODEL = CliTesting.MODEL;
  private static final String NO_MODEL = "/nonexistent/model";
  @TempDir Path dir;

  private static int run(StringWriter err, String... args) {
    return CliTesting.run(err, args);
  }

  private static int run(Object command, StringWriter err, String... args) {
    return CliTesting.run(command, err, args);
  }

  private Path input() {
    return CliTesting.input(dir);
  }

  private static void assertOneLine(StringWriter err, int code, int expected, String... fragments) {
    String text = err.toString().strip();
    assertThat(code).as(text).isEqualTo(expected);
    assertThat(text.lines().count()).as(text).isEqualTo(1);
    assertThat(text).startsWith("ptinv: ").doesNotContain("\tat ").contains(fragments);
    if (expected == 2) {
      assertThat(text).doesNotContain("Exception");
    }
  }

  @Test
  void anOutputThatCannotBeWrittenIsFoundBeforeTheModelLoads() throws IOException {
    Path in = input();
    StringWriter e1 = new StringWriter();
    assertOneLine(e1, run(e1, "edit", "--model", NO_MODEL, "--image", in.toString(), "--prompt", "x", "-o", dir.toString()),
        2, "--output", "is a directory");
    Path file = Files.writeString(dir.resolve("file"), "x");
    StringWriter e2 = new StringWriter();
    assertOneLine(e2, run(e2, "invert", "--model", NO_MODEL, "--image", in.toString(), "-o",
        file.resolve("t.safetensors").toString()), 2, "--output", file + " exists and is not a folder");
    StringWriter e3 = new StringWriter();
    assertOneLine(e3, run(e3, "sweep", "--model", NO_MODEL, "--image", in.toString(), "--prompt", "x", "-o",
        file.toString()), 2, "--output", "an existing file");
    StringWriter e4 = new StringWriter();
    assertOneLine(e4, run(e4, "generate", "--model", NO_MODEL, "--prompt", "x", "-o", dir.toString()), 2, "--output");
  }

  @Test
  void imageAndTrajectoryProblemsAreTheSameClassOfError() throws IOException {
    StringWriter e1 = new StringWriter();
    assertOneLine(e1, run(e1, "edit", "--model", NO_MODEL, "--image", dir.toString(), "--prompt", "x", "-o",
        dir.resolve("o.png").toString()), 2, "is a directory");
    StringWriter e2 = new StringWriter();
    assertOneLine(e2, run(e2, "edit", "--model", NO_MODEL, "--trajectory", dir.resolve("none.safetensors").toString(),
        "--prompt", "x", "-o", dir.resolve("o.png").toString()), 2, "trajectory", "no such file", "none.safetensors");
  }

  @Test
  void settingsThatDisagreeWithTheTrajectoryNameBothValues() {
    Path traj = dir.resolve("t.safetensors");
    StringWriter err = new StringWriter();
    assertThat(run(err, "invert", "--model", MODEL, "--image", input().toString(), "--steps", "3", "-o", traj.toString()))
        .as(err.toString()).isZero();
    StringWriter e1 = new StringWriter();
    assertOneLine(e1, run(e1, "edit", "--model", NO_MODEL, "--trajectory", traj.toString(), "--steps", "7", "--prompt", "x",
        "-o", dir.resolve("o.png").toString()), 2, "--steps", "3", "7");
    // written with the process's default permissions, like the images
    Path reference = dir.resolve("reference");
    Images.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB), reference);
    try {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(traj)))
          .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(reference)));
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  @Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalStateException(new UncheckedIOException("cannot write image out.png",
          new java.nio.file.FileSystemException("out.png: Is a directory")));
    }
  }

  @Command(name = "bug")
  static final class Bug implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new ArrayIndexOutOfBoundsException("Index 3 out of bounds for length 3");
    }
  }

  @Test
  void anyErrorReachingMainIsOneLine() {
    StringWriter e1 = new StringWriter();
    assertOneLine(e1, run(new Boom(), e1), 1, "cannot write image out.png", "Is a directory");
    StringWriter e2 = new StringWriter();
    assertOneLine(e2, run(new Bug(), e2), 1, "internal error", "Index 3 out of bounds", "PTINV_DEBUG");
  }

  @Test
  void soakVerdictComparesTheLastQuarterWithTheSecond() {
    long mib = 1 << 20;
    long[] flat = new long[40];
    long[] growing = new long[40];
    for (int i = 0; i < 40; i++) {
      flat[i] = (i < 10 ? 400 + 5 * i : 450) * mib + (i % 3) * mib; // warm-up rise, then flat with noise
      growing[i] = (450 + i) * mib; // 1 MiB per edit: the last quarter sits ~4.5% above the second
    }
    Soak.Result ok = Soak.judge(flat, 1);
    assertThat(ok.passed()).isTrue();
    assertThat(ok.growth()).isBetween(-0.01, 0.01);
    Soak.Result leak = Soak.judge(growing, 1);
    assertThat(leak.passed()).isFalse();
    assertThat(leak.secondQuarter()).isEqualTo((450 + 15) * mib);
    assertThat(leak.lastQuarter()).isEqualTo((450 + 35) * mib);
  }

  @Test
  void soakRunsEditsAndReportsRss() {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.configure(new CommandLine(new Main()));
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("bench", "soak", "--model", MODEL, "--edits", "8", "--threads", "2", "--every", "4",
        "--steps", "2");
    assertThat(out.toString()).contains("edit     4  RSS").contains("edit     8  RSS").contains("second quarter");
    assertThat(code).isEqualTo(out.toString().contains("soak: PASS") ? 0 : 1);
  }

  /**
   * Ctrl-C that arrives after the last step but before the output is written: nothing is written and the command
   * ends as cancelled, as the Ctrl-C message says. (Where the test JVM was started with SIGINT ignored, no handler
   * can see it and the check is skipped.)
   */
  @Test
  void ctrlCBeforeWritingWritesNothing() throws Exception {
    Path out = dir.resolve("out.png");
    try (ConsoleProgress progress = new ConsoleProgress()) {
      sun.misc.Signal.raise(new sun.misc.Signal("INT"));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!progress.cancelled() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(progress.cancelled(), "SIGINT is ignored in this JVM");
      java.util.concurrent.atomic.AtomicBoolean wrote = new java.util.concurrent.atomic.AtomicBoolean();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> progress.write(out, () -> wrote.set(true)))
          .isInstanceOf(io.ptinv.CancelledException.class).hasMessageContaining(out.toString());
      assertThat(wrote).isFalse();
      assertThat(out).doesNotExist();
    }
    try (ConsoleProgress fresh = new ConsoleProgress()) {
      assertThat(fresh.cancelled()).as("each command starts uncancelled").isFalse();
    }
  }
}
