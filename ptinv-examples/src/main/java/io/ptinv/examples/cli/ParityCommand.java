package io.ptinv.examples.cli;

import io.ptinv.torch.parity.ParityRow;
import io.ptinv.torch.parity.ParitySuite;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ptinv parity DIR}: every reference check of a golden folder, one line each; exit 1 on any FAIL. */
@Command(name = "parity", mixinStandardHelpOptions = true,
    description = "Check the model stack against golden reference tensors (e.g. ../shared/golden).")
final class ParityCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Folder holding the golden README, tiny-sd/ and the reference tensors.")
  Path dir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    List<ParityRow> rows = new ParitySuite(dir).run();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%-40s %12s %12s  %s%n", "check", "max_abs_err", "rel_err", "result");
    rows.forEach(out::println);
    long failed = rows.stream().filter(r -> r.status() == ParityRow.Status.FAIL).count();
    long passed = rows.stream().filter(r -> r.status() == ParityRow.Status.PASS).count();
    long skipped = rows.size() - failed - passed;
    out.printf("%d passed, %d failed, %d skipped%n", passed, failed, skipped);
    out.flush();
    return failed == 0 ? 0 : 1;
  }
}
