package io.ptinv.examples.cli;

import io.ptinv.examples.bench.ShapesPieBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ptinv shapes}: datasets from the shapes world. */
@Command(name = "shapes", mixinStandardHelpOptions = true, description = "Datasets from the shapes world (docs/shapes.md).",
    subcommands = {ShapesCommand.PieBench.class})
final class ShapesCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code ptinv shapes pie-bench}: the benchmark's edit cases in PIE-Bench's layout. */
  @Command(name = "pie-bench", mixinStandardHelpOptions = true,
      description = "Write shapes edit cases (colour, shape, background; the cases of 'bench shapes') as a PIE-Bench-"
          + "layout dataset: mapping_file.json (prompts with [brackets], edit types 6/1/8, blend words, RLE masks) and "
          + "annotation_images/.")
  static final class PieBench implements Callable<Integer> {
    @Option(names = "--cases", defaultValue = "25", description = "Cases per edit kind (default: ${DEFAULT-VALUE}).")
    int cases;

    @Option(names = "--seed", defaultValue = "1000", description = "Case seed, as 'bench shapes' (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--output"}, required = true, description = "Dataset folder.")
    Path output;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      io.ptinv.InvalidInputException.check(cases >= 1, "--cases", "at least 1", cases);
      io.ptinv.files.OutputFiles.checkWritable(output.resolve("mapping_file.json"), "--output");
      int n = ShapesPieBench.write(output, cases, seed);
      spec.commandLine().getOut().printf("wrote %d entries to %s%n", n, output);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
