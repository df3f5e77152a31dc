package io.ptinv.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ptinv.InvalidInputException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output checks before work, temp files that never outlive the process, default permissions. */
class OutputFilesTest {
  @TempDir Path dir;

  @Test
  void aDirectoryOrAFileAsFolderIsRejectedNamingTheArgument() throws Exception {
    assertThatThrownBy(() -> OutputFiles.checkWritable(dir, "--output")).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("--output: ").hasMessageContaining(dir.toString()).hasMessageContaining("is a directory");
    Path file = Files.writeString(dir.resolve("plain"), "x");
    assertThatThrownBy(() -> OutputFiles.checkWritable(file.resolve("out.png"), "--output"))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("--output: ").hasMessageContaining("plain");
    assertThatThrownBy(() -> OutputFiles.checkWritable(null, "--output")).isInstanceOf(InvalidInputException.class)
        .hasMessage("--output: must not be null");
  }

  @Test
  void aWritableTargetPassesAndLeavesNothingBehind() throws Exception {
    Path existing = Files.writeString(dir.resolve("old.png"), "keep");
    OutputFiles.checkWritable(existing, "-o");
    OutputFiles.checkWritable(dir.resolve("sub/new.png"), "-o");
    assertThat(Files.readString(existing)).isEqualTo("keep");
    assertThat(dir.resolve("sub/new.png")).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("old.png", "sub");
    }
  }

  @Test
  void tempFilesHaveTheDefaultPermissionsOfNewFiles() throws Exception {
    Path reference = Files.createFile(dir.resolve("reference"));
    Path tmp = OutputFiles.createTemp(dir.resolve("t.safetensors"));
    assertThat(tmp.getFileName().toString()).startsWith(".t.safetensors.").endsWith(".tmp");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp)))
        .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(reference)));
    OutputFiles.commit(tmp, dir.resolve("t.safetensors"));
    assertThat(tmp).doesNotExist();
    assertThat(dir.resolve("t.safetensors")).isRegularFile();
  }

  /** SIGTERM to a process holding a half-written file: the JVM's shutdown removes it. */
  @Test
  void sigtermRemovesPendingTempFiles() throws Exception {
    Path target = dir.resolve("out.png");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), TempHolder.class.getName(), target.toString())
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertThat(line).as("the child's temp file").isNotNull();
      Path tmp = Path.of(line);
      assertThat(tmp).isRegularFile();
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(143);
      assertThat(tmp).doesNotExist();
      assertThat(target).doesNotExist();
    } finally {
      p.destroyForcibly();
    }
  }

  /** Creates a temp file beside {@code args[0]}, prints its path, then waits to be killed. */
  public static final class TempHolder {
    public static void main(String[] args) throws Exception {
      Path tmp = OutputFiles.createTemp(Path.of(args[0]));
      Files.writeString(tmp, "half");
      System.out.println(tmp);
      System.out.flush();
      Thread.sleep(60_000);
    }
  }
}
