package io.ptinv.examples.cli;

import io.ptinv.EditOptions;
import io.ptinv.examples.bench.Soak;
import io.ptinv.torch.editing.PtiEditor;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ptinv bench soak}: many edits in one JVM with the resident set printed as it goes; exit 1 when the last
 * quarter's median RSS is more than 2% above the second quarter's.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Edit seeded shapes images many times in one process (threads share one editor) and check that "
        + "memory stays flat: fails if the last quarter's median RSS exceeds the second quarter's by more than 2%.")
final class BenchSoakCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin InversionArgs inversion;

  @Option(names = "--edits", defaultValue = "200", description = "Number of edits (default: ${DEFAULT-VALUE}).")
  int edits;

  @Option(names = "--threads", defaultValue = "1", description = "Threads calling the shared editor (default: "
      + "${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--every", defaultValue = "10", description = "Print RSS every N edits (default: ${DEFAULT-VALUE}).")
  int every;

  @Option(names = "--eta", description = "Edit eta (default: the model's ptinv.json, else 0.9).")
  Double eta;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    io.ptinv.InvalidInputException.check(edits >= 8, "--edits", "at least 8", edits);
    io.ptinv.InvalidInputException.check(threads >= 1, "--threads", "at least 1", threads);
    io.ptinv.InvalidInputException.check(every >= 1, "--every", "at least 1", every);
    var defaults = model.defaults();
    EditOptions options = EditOptions.builder().inversion(inversion.toOptions(defaults))
        .eta(io.ptinv.torch.io.ModelDefaults.pick(eta, defaults.eta(), EditOptions.DEFAULT_ETA)).build();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "soak: %d edits, %d thread(s), %d steps, MALLOC_ARENA_MAX=%s%n", edits, threads,
        options.inversion().steps(), System.getenv().getOrDefault("MALLOC_ARENA_MAX", "unset"));
    out.flush();
    Soak.Result r;
    try (PtiEditor editor = new PtiEditor(model.load(), true)) {
      r = Soak.run(editor, options, edits, threads, Soak.ReportListener.of(line -> {
        synchronized (out) {
          out.println(line);
          out.flush();
        }
      }, every));
    }
    out.printf(Locale.ROOT, "median RSS: second quarter %.1f MiB, last quarter %.1f MiB, growth %+.2f%% (limit +%.0f%%); "
            + "%.2f s per edit%n", r.secondQuarter() / 1048576.0, r.lastQuarter() / 1048576.0, 100 * r.growth(),
        100 * Soak.MAX_GROWTH, r.seconds() / edits);
    out.println(r.passed() ? "soak: PASS" : "soak: FAIL (memory grows)");
    out.flush();
    return r.passed() ? 0 : 1;
  }
}
