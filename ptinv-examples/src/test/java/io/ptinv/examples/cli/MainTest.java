package io.ptinv.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  private static String[] runCli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.configure(new CommandLine(new Main()));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void infoPrintsTheRuntimeFacts() {
    String[] r = runCli("info");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1]).contains("libtorch").contains("2.10.0").contains("natives").contains("cuda            ")
        .contains("device").contains("dtype").contains("fp32").contains("threads");
  }

  @Test
  void versionAndHelp() {
    String[] v = runCli("--version");
    assertThat(v[0]).isEqualTo("0");
    assertThat(v[1]).startsWith("ptinv 0.1.0");
    String[] h = runCli("--help");
    assertThat(h[1]).contains("info").contains("Usage: ptinv");
  }

  @Test
  void unknownCommandIsAUsageError() {
    String[] r = runCli("frobnicate");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("frobnicate");
  }

  @Test
  void parityOnADeviceThisMachineLacksIsOneLineBeforeAnyCheck() {
    // the default build's CPU natives: CUDA cannot be chosen, and parity says so instead of running on the CPU
    org.junit.jupiter.api.Assumptions.assumeFalse(io.ptinv.torch.runtime.Torch.cudaAvailable());
    String[] r = CliTesting.runCapturing("parity", CliTesting.MODEL + "/..", "--device", "cuda");
    assertThat(r[0]).isNotEqualTo("0");
    assertThat(r[1]).doesNotContain("passed");
    assertThat(r[2].strip().lines()).hasSize(1);
    assertThat(r[2]).contains("cuda").contains("CUDA is not available");
  }
}
