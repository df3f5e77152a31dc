package io.ptinv.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host whose java.library.path holds another LibTorch: ptinv loads its own natives or stops with one line, and
 * never loads the foreign one. The fake libraries abort the process the moment they are loaded (where gcc is there
 * to build them; else they are empty files, which the name check alone must keep out).
 */
class ForeignLibtorchTest {
  @TempDir static Path dir;
  static Path aborting;

  @BeforeAll
  static void buildFakeLibrary() throws Exception {
    Path c = dir.resolve("fake.c");
    Files.writeString(c, "#include <stdio.h>\n#include <stdlib.h>\n__attribute__((constructor)) static void boom(void) "
        + "{ fprintf(stderr, \"FOREIGN LIBTORCH LOADED\\n\"); abort(); }\n");
    aborting = dir.resolve("libfake.so");
    try {
      Process p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", aborting.toString(), c.toString())
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        Files.write(aborting, new byte[0]);
      }
    } catch (IOException noGcc) {
      Files.write(aborting, new byte[0]);
    }
  }

  private static Path libraryDir(String name, String... libs) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    for (String lib : libs) {
      Files.copy(aborting, d.resolve(lib));
    }
    return d;
  }

  /** Runs {@code ptinv info} in a fresh JVM with {@code libraryPath} as java.library.path. */
  private static Result info(Path libraryPath) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.library.path=" + libraryPath, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "info")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  record Result(int exit, String output) {}

  @Test
  void aForeignLibtorchThatPtinvLacksStopsWithOneLine() throws Exception {
    Path d = libraryDir("cuda-build", "libtorch_cuda.so", "libc10_cuda.so");
    Result r = info(d);
    assertThat(r.output()).doesNotContain("FOREIGN LIBTORCH LOADED");
    assertThat(r.exit()).as(r.output()).isEqualTo(1);
    List<String> lines = r.output().strip().lines().filter(l -> l.startsWith("ptinv:")).toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("not ptinv's own").contains(d.toString()).contains("java.library.path");
  }

  @Test
  void foreignCopiesOfPtinvsOwnLibrariesAreIgnored() throws Exception {
    Result r = info(libraryDir("same-names", "libtorch.so", "libtorch_cpu.so", "libc10.so", "libjnitorch.so"));
    assertThat(r.output()).doesNotContain("FOREIGN LIBTORCH LOADED");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("libtorch").contains("natives         CPU").contains("cuda            not usable:");
  }
}
