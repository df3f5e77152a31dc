package io.ptinv.examples.cli;

import io.ptinv.torch.parity.ParityRow;
import io.ptinv.torch.parity.ParitySuite;
import io.ptinv.torch.runtime.ComputeDevice;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ptinv parity DIR}: every reference check of a golden folder, one line each, tolerances from its
 * tolerances.json; exit 1 on any FAIL. SKIP (the folder lacks the row) and UNKNOWN (ptinv lacks the check) rows
 * are listed and counted, not failed.
 */
@Command(name = "parity", mixinStandardHelpOptions = true,
    description = "Check the model stack against golden reference tensors (e.g. ../shared/golden), with the "
        + "tolerances of the folder's tolerances.json.")
final class ParityCommand implements Callable<Integer> {
  @Parameters(index = "0",
      description = "Folder holding the golden README, tolerances.json, tiny-sd/ and the reference tensors.")
  Path dir;

  @CommandLine.Option(names = "--device", description = "cpu (default), cuda or cuda:N: where the fp32 model runs.")
  String device = "cpu";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    List<ParityRow> rows = new ParitySuite(dir, ComputeDevice.select(device)).run();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%-40s %12s %12s  %s%n", "check", "max_abs_err", "rel_err", "result");
    rows.forEach(out::println);
    out.printf("%d passed, %d failed, %d skipped, %d unknown%n", count(rows, ParityRow.Status.PASS),
        count(rows, ParityRow.Status.FAIL), count(rows, ParityRow.Status.SKIP), count(rows, ParityRow.Status.UNKNOWN));
    out.flush();
    return count(rows, ParityRow.Status.FAIL) == 0 ? 0 : 1;
  }

  private static long count(List<ParityRow> rows, ParityRow.Status status) {
    return rows.stream().filter(r -> r.status() == status).count();
  }
}
