package io.ptinv.examples.cli;

import io.ptinv.torch.runtime.RuntimeInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ptinv info}: versions, natives flavour, CUDA availability, default device, dtype and threads. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Print ptinv's runtime facts.")
final class InfoCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--device", defaultValue = "auto",
      description = "Device to report: auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Override
  public Integer call() {
    RuntimeInfo info = RuntimeInfo.collect(device);
    PrintWriter out = spec.commandLine().getOut();
    row(out, "ptinv", Main.version());
    row(out, "java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
    row(out, "libtorch", info.libtorchVersion());
    row(out, "platform", info.platform());
    row(out, "natives", info.flavour());
    row(out, "cuda", info.cudaStatus());
    row(out, "device", info.defaultDevice() + " - " + info.deviceName());
    row(out, "dtype", info.defaultPrecision().name().toLowerCase(java.util.Locale.ROOT));
    row(out, "threads", Integer.toString(info.threads()));
    out.flush();
    return 0;
  }

  private static void row(PrintWriter out, String key, String value) {
    out.printf("%-15s %s%n", key, value);
  }
}
