package io.ptinv.examples.cli;

import io.ptinv.InvalidInputException;
import io.ptinv.eval.PieBench;
import io.ptinv.eval.PieBenchEvaluator;
import io.ptinv.eval.PieBenchMetric;
import io.ptinv.eval.PieBenchRun;
import io.ptinv.files.OutputFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ptinv eval}: PIE-Bench-compatible evaluation (docs/evaluation.md). */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluation with PIE-Bench's metrics.",
    subcommands = {EvalCommand.Score.class})
final class EvalCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code ptinv eval score}: any tool's PIE-Bench outputs scored as PnPInversion's evaluate.py scores them, written in
   * its CSV format.
   */
  @Command(name = "score", mixinStandardHelpOptions = true,
      description = "Score a folder of edited images laid out as PnPInversion's method outputs (same relative paths as "
          + "the dataset's images; a wider image keeps its last panel) and write OUT/evaluation_result.csv in "
          + "evaluate.py's format, OUT/summary.md, and OUT/items/ (a restarted run skips finished items).")
  static final class Score implements Callable<Integer> {
    @Option(names = "--data", required = true,
        description = "PIE-Bench-layout dataset: mapping_file.json and annotation_images/.")
    Path data;

    @Option(names = "--edited", required = true, description = "The method's outputs (output/<method>/annotation_images).")
    Path edited;

    @Option(names = "--name", defaultValue = "1_ptinv",
        description = "Method name for the CSV columns NAME|metric (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--metrics-weights", description = "Folder with lpips-squeeze.safetensors, clip.safetensors + "
        + "clip-config.json + clip-preprocessor-config.json, dino.safetensors + dino-config.json; without it (or a file "
        + "of it) those metrics are not computed.")
    Path weights;

    @Option(names = "--metrics", description = "Comma-separated metric names in evaluate.py's spelling "
        + "(default: all 18, in evaluate.py's order).")
    String metrics;

    @Option(names = {"-o", "--output"}, required = true, description = "Output folder.")
    Path output;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      List<PieBenchMetric> chosen = metrics == null ? Arrays.asList(PieBenchMetric.values())
          : Arrays.stream(metrics.split(",")).map(String::trim).map(PieBenchMetric::ofColumn).toList();
      InvalidInputException.check(Files.isDirectory(data.resolve("annotation_images")), "--data",
          "a folder holding mapping_file.json and annotation_images/", data);
      InvalidInputException.check(Files.isDirectory(edited), "--edited", "a folder of edited images", edited);
      Path csv = output.resolve("evaluation_result.csv");
      OutputFiles.checkWritable(csv, "--output");
      PieBench.Mapping mapping = PieBench.readMapping(data.resolve("mapping_file.json"));
      PrintWriter out = spec.commandLine().getOut();
      PieBenchRun.Result result;
      try (PieBenchEvaluator evaluator = PieBenchEvaluator.load(weights);
          ProgressBar bar = new ProgressBarBuilder().setTaskName("score").setInitialMax(mapping.entries().size())
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build()) {
        result = PieBenchRun.run(mapping.entries(), data.resolve("annotation_images"), edited, evaluator, chosen,
            output.resolve("items"), bar::stepTo);
      }
      java.util.Map<String, String> failed = new java.util.LinkedHashMap<>();
      mapping.invalid().forEach((k, why) -> failed.put(k, "mapping entry: " + why));
      failed.putAll(result.failed());
      PieBenchRun.Result all = new PieBenchRun.Result(result.rows(), failed);
      OutputFiles.writeString(csv, PieBenchRun.csv(name, chosen, all.rows()));
      OutputFiles.writeString(output.resolve("summary.md"), PieBenchRun.summary(name, chosen, all));
      out.printf("scored %d of %d entries%s; wrote %s and %s%n", all.rows().size(),
          mapping.entries().size() + mapping.invalid().size(),
          failed.isEmpty() ? "" : " (" + failed.size() + " skipped, listed in summary.md)", csv,
          output.resolve("summary.md"));
      List<String> lines = new ArrayList<>();
      failed.forEach((k, why) -> lines.add("skipped " + k + ": " + why));
      lines.forEach(out::println);
      out.flush();
      return 0;
    }
  }
}
