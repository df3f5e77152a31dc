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
    subcommands = {EvalCommand.Score.class, EvalCommand.PieBenchEdit.class, EvalCommand.Reconstruction.class})
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
      java.util.Map<String, String> invalid = new java.util.LinkedHashMap<>();
      mapping.invalid().forEach((k, why) -> invalid.put(k, "mapping entry: " + why));
      PieBenchRun.Result all = scoreAndWrite(data, mapping.entries(), invalid, edited, name, weights, chosen, output,
          java.util.Map.of());
      java.util.Map<String, String> failed = all.failed();
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

  /** A console progress bar with ETA on standard error. */
  static ProgressBar progressBar(String task, long max) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
  }

  /** Scores {@code edited} against the dataset and writes the CSV, the summary (with PIE-Bench's table) and items. */
  static PieBenchRun.Result scoreAndWrite(Path data, List<io.ptinv.eval.PieBenchEntry> entries,
      java.util.Map<String, String> alreadyFailed, Path edited, String name, Path weights, List<PieBenchMetric> chosen,
      Path output, java.util.Map<String, Double> seconds) {
    PieBenchRun.Result result;
    try (PieBenchEvaluator evaluator = PieBenchEvaluator.load(weights);
        ProgressBar bar = progressBar("score", entries.size())) {
      result = PieBenchRun.run(entries, data.resolve("annotation_images"), edited, evaluator, chosen,
          output.resolve("items"), bar::stepTo);
    }
    java.util.Map<String, String> failed = new java.util.LinkedHashMap<>(alreadyFailed);
    failed.putAll(result.failed());
    PieBenchRun.Result all = new PieBenchRun.Result(result.rows(), failed);
    OutputFiles.writeString(output.resolve("evaluation_result.csv"), PieBenchRun.csv(name, chosen, all.rows()));
    OutputFiles.writeString(output.resolve("summary.md"), PieBenchRun.summary(name, chosen, all) + "\n## PIE-Bench table\n\n"
        + PieBenchRun.table(all.rows(), seconds));
    return all;
  }

  /** {@code ptinv eval pie-bench}: edit a PIE-Bench-layout dataset with one of ptinv's methods, then score it. */
  @Command(name = "pie-bench", mixinStandardHelpOptions = true,
      description = "Edit every entry (or a slice) of a PIE-Bench-layout dataset with --method pti|nti|ddim|todinv and plain "
          + "editing or --engine p2p, write the edits to OUT/edited/ (same paths as the dataset), then score them like 'eval score' "
          + "(OUT/evaluation_result.csv, OUT/summary.md with PIE-Bench's table per edit type). A restarted run skips "
          + "finished edits and scores.")
  static final class PieBenchEdit implements Callable<Integer> {
    @CommandLine.Mixin ModelOptions model;
    @CommandLine.Mixin InversionArgs inversion;

    @Option(names = "--data", required = true, description = "PIE-Bench-layout dataset: mapping_file.json and "
        + "annotation_images/ (e.g. one written by 'ptinv shapes pie-bench').")
    Path data;

    @Option(names = "--engine", defaultValue = "none", description = "Editing engine: none (PTI's condition "
        + "interpolation, or plain sampling from the inversion) or p2p (Prompt-to-Prompt with PIE-Bench's setting: "
        + "cross-attention replaced for 40% of the steps, self-attention for 60%) (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--eta", description = "Edit eta (default: the model's ptinv.json, else 0.9 for PTI, 1 otherwise).")
    Double eta;

    @Option(names = "--etas", description = "Several etas from one inversion per entry, e.g. 0.5,0.7,0.9,1: each is "
        + "edited and scored in OUT/eta-0.70/ (and so on), and OUT/tradeoff.csv and OUT/tradeoff.png compare them.")
    String etas;

    @Option(names = "--types", description = "Only these PIE-Bench edit types, e.g. 1,6 (default: all).")
    String types;

    @Option(names = "--limit", description = "At most this many entries (after --types).")
    Integer limit;

    @Option(names = "--metrics-weights", description = "Folder of LPIPS/CLIP/DINO weights (see 'eval score').")
    Path weights;

    @Option(names = {"-o", "--output"}, required = true, description = "Output folder.")
    Path output;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      InvalidInputException.check(engine.equals("none") || engine.equals("p2p"), "--engine", "none or p2p", engine);
      InvalidInputException.check(eta == null || etas == null, "--etas", "either --eta or --etas, not both",
          "--eta " + eta + " --etas " + etas);
      if (limit != null) {
        InvalidInputException.check(limit >= 1, "--limit", "at least 1", limit);
      }
      InvalidInputException.check(Files.isDirectory(data.resolve("annotation_images")), "--data",
          "a folder holding mapping_file.json and annotation_images/", data);
      var defaults = model.defaults();
      boolean pti = inversion.method() == io.ptinv.InversionMethod.PTI;
      io.ptinv.EditOptions options = io.ptinv.EditOptions.builder().inversion(inversion.toOptions(defaults))
          .eta(pti ? io.ptinv.torch.io.ModelDefaults.pick(eta, defaults.eta(), io.ptinv.EditOptions.DEFAULT_ETA)
              : eta != null ? eta : 1.0)
          .p2p(engine.equals("p2p") ? io.ptinv.P2pOptions.defaults() : null).build();
      PieBench.Mapping mapping = PieBench.readMapping(data.resolve("mapping_file.json"));
      java.util.Set<String> typeSet = types == null ? null : java.util.Set.of(types.split(","));
      List<io.ptinv.eval.PieBenchEntry> entries = mapping.entries().stream()
          .filter(e -> typeSet == null || typeSet.contains(e.editingTypeId()))
          .limit(limit == null ? Long.MAX_VALUE : limit).toList();
      InvalidInputException.check(!entries.isEmpty(), types == null ? "--data" : "--types",
          types == null ? "a dataset with valid entries" : "edit types present in the dataset", types == null ? data : types);
      String name = "1_ptinv-" + options.inversion().method().name().toLowerCase(java.util.Locale.ROOT)
          + (options.p2p() != null ? "+p2p" : "");
      List<Double> etaList = etas == null ? List.of(options.eta()) : Args.etas("--etas", etas);
      boolean sweep = etas != null;
      java.util.Map<Double, Path> folders = new java.util.LinkedHashMap<>();
      for (double e : etaList) {
        folders.put(e, sweep ? output.resolve(String.format(java.util.Locale.ROOT, "eta-%.2f", e)) : output);
      }
      java.util.Map<Double, Path> editedDirs = new java.util.LinkedHashMap<>();
      folders.forEach((e, dir) -> {
        OutputFiles.checkWritable(dir.resolve("evaluation_result.csv"), "--output");
        editedDirs.put(e, dir.resolve("edited"));
      });
      java.util.Map<String, Double> seconds = readTimings(output.resolve("seconds.json"),
          com.fasterxml.jackson.databind.JsonNode::asDouble);
      java.util.Map<String, java.util.Map<io.ptinv.Stage, Double>> stageSeconds =
          readTimings(output.resolve("stage_seconds.json"), PieBenchEdit::stages);
      io.ptinv.eval.PieBenchEditRun.Result run;
      try (io.ptinv.torch.editing.PtiEditor editor = new io.ptinv.torch.editing.PtiEditor(model.load(), true);
          ProgressBar bar = progressBar("edit", entries.size())) {
        run = io.ptinv.eval.PieBenchEditRun.run(editor, entries, data.resolve("annotation_images"), editedDirs, options,
            bar::stepTo);
      }
      seconds.putAll(run.seconds());
      stageSeconds.putAll(run.stageSeconds());
      writeJson(output.resolve("seconds.json"), seconds);
      writeJson(output.resolve("stage_seconds.json"), stageSeconds);
      java.util.Map<String, String> typeOf = new java.util.LinkedHashMap<>();
      entries.forEach(e -> typeOf.put(e.key(), PieBenchRun.typeName(e.editingTypeId())));
      io.ptinv.image.Images.write(io.ptinv.eval.Plots.stageBars(name + ": seconds per entry by stage", "edit type",
          "seconds (mean per entry" + (sweep ? ", all etas" : "") + ")",
          io.ptinv.eval.PieBenchPlots.meanStages(stageSeconds, typeOf)), output.resolve("stages.png"));
      java.util.Map<String, String> failed = new java.util.LinkedHashMap<>();
      mapping.invalid().forEach((k, why) -> failed.put(k, "mapping entry: " + why));
      failed.putAll(run.failed());
      List<io.ptinv.eval.PieBenchEntry> edited = entries.stream().filter(e -> !run.failed().containsKey(e.key())).toList();
      PrintWriter out = spec.commandLine().getOut();
      java.util.Map<Double, List<PieBenchRun.Row>> byEta = new java.util.LinkedHashMap<>();
      for (var f : folders.entrySet()) {
        // a sweep's seconds cover every eta of an entry: its per-eta tables leave the column out
        PieBenchRun.Result all = scoreAndWrite(data, edited, failed, f.getValue().resolve("edited"), name, weights,
            Arrays.asList(PieBenchMetric.values()), f.getValue(), sweep ? java.util.Map.of() : seconds);
        byEta.put(f.getKey(), all.rows());
        out.printf("%s%s: edited and scored %d entries%s; wrote %s%n", name,
            sweep ? String.format(java.util.Locale.ROOT, " at eta %.2f", f.getKey()) : "", all.rows().size(),
            all.failed().isEmpty() ? "" : " (" + all.failed().size() + " skipped, listed in summary.md)",
            f.getValue().resolve("summary.md"));
        out.print(PieBenchRun.table(all.rows(), sweep ? java.util.Map.of() : seconds));
      }
      if (sweep) {
        OutputFiles.writeString(output.resolve("tradeoff.csv"), io.ptinv.eval.PieBenchPlots.tradeoffCsv(byEta));
        io.ptinv.image.Images.write(io.ptinv.eval.PieBenchPlots.tradeoff(name, byEta), output.resolve("tradeoff.png"));
        out.printf("wrote %s and %s%n", output.resolve("tradeoff.csv"), output.resolve("tradeoff.png"));
      }
      out.flush();
      return 0;
    }

    /** Entry id to a timing from a JSON object file of an earlier run; empty if there is none or it is unreadable. */
    private static <V> java.util.Map<String, V> readTimings(Path file,
        java.util.function.Function<com.fasterxml.jackson.databind.JsonNode, V> value) {
      java.util.Map<String, V> out = new java.util.LinkedHashMap<>();
      if (Files.isRegularFile(file)) {
        try {
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).fields()
              .forEachRemaining(e -> out.put(e.getKey(), value.apply(e.getValue())));
        } catch (java.io.IOException | IllegalArgumentException e) {
          // an unreadable timing file only loses earlier timings
        }
      }
      return out;
    }

    private static java.util.Map<io.ptinv.Stage, Double> stages(com.fasterxml.jackson.databind.JsonNode node) {
      java.util.Map<io.ptinv.Stage, Double> stages = new java.util.EnumMap<>(io.ptinv.Stage.class);
      node.fields().forEachRemaining(s -> stages.put(io.ptinv.Stage.valueOf(s.getKey()), s.getValue().asDouble()));
      return stages;
    }

    private static void writeJson(Path file, Object value) {
      try {
        OutputFiles.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** {@code ptinv eval reconstruction}: the PTI paper's reconstruction table on a folder of images. */
  @Command(name = "reconstruction", mixinStandardHelpOptions = true,
      description = "Reconstruct every image of a folder with the VAE alone, DDIM, NTI and PTI (N = 1, 5) at eta = 0; "
          + "write OUT/summary.md (PSNR, SSIM, LPIPS, seconds per image). A restarted run skips finished items.")
  static final class Reconstruction implements Callable<Integer> {
    @CommandLine.Mixin ModelOptions model;
    @CommandLine.Mixin InversionArgs inversion;

    @Option(names = "--images", required = true, description = "Folder of images (PNG, JPEG, BMP, GIF).")
    Path images;

    @Option(names = "--captions", description = "Captions: one line per image, 'FILE<TAB>caption' (default: the "
        + "empty prompt).")
    Path captions;

    @Option(names = "--methods", defaultValue = "vae,ddim,nti,pti,pti5",
        description = "Comma-separated: vae, ddim, nti, pti, pti5, todinv (all layers), todinv-unguided, "
            + "todinv-shared (default: ${DEFAULT-VALUE}).")
    String methods;

    @Option(names = "--metrics-weights", description = "Folder with lpips-squeeze.safetensors (else LPIPS is not "
        + "computed).")
    Path weights;

    @Option(names = {"-o", "--output"}, required = true, description = "Output folder.")
    Path output;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
      List<io.ptinv.eval.ReconstructionRun.Method> chosen = new ArrayList<>();
      for (String m : methods.split(",")) {
        chosen.add(Args.enumValue(io.ptinv.eval.ReconstructionRun.Method.class, "--methods", m));
      }
      InvalidInputException.check(Files.isDirectory(images), "--images", "a folder of images", images);
      java.util.Map<String, String> caps = new java.util.LinkedHashMap<>();
      if (captions != null) {
        io.ptinv.files.InputFiles.checkRegularFile(captions, "--captions", "a captions file");
        int line = 0;
        for (String l : Files.readAllLines(captions)) {
          line++;
          if (l.isBlank()) {
            continue;
          }
          int tab = l.indexOf('\t');
          InvalidInputException.check(tab > 0, "--captions", "lines 'FILE<TAB>caption'", "line " + line + ": " + l);
          caps.put(l.substring(0, tab), l.substring(tab + 1));
        }
      }
      List<Path> files;
      try (java.util.stream.Stream<Path> s = Files.list(images)) {
        files = s.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT)
            .matches(".*\\.(png|jpe?g|bmp|gif)")).sorted().toList();
      }
      InvalidInputException.check(!files.isEmpty(), "--images", "a folder holding images", images);
      Path summary = output.resolve("summary.md");
      OutputFiles.checkWritable(summary, "--output");
      io.ptinv.InversionOptions base = inversion.toOptions(model.defaults());
      io.ptinv.eval.ReconstructionRun.Result result;
      try (io.ptinv.torch.editing.PtiEditor editor = new io.ptinv.torch.editing.PtiEditor(model.load(), true);
          io.ptinv.eval.Lpips lpips = weights == null || !Files.isRegularFile(weights.resolve(PieBenchEvaluator.LPIPS_FILE))
              ? null : io.ptinv.eval.Lpips.load(weights.resolve(PieBenchEvaluator.LPIPS_FILE));
          ProgressBar bar = progressBar("reconstruct", (long) files.size() * chosen.size())) {
        result = io.ptinv.eval.ReconstructionRun.run(editor, files, caps, chosen, base, lpips, output.resolve("items"),
            bar::stepTo);
      }
      String table = io.ptinv.eval.ReconstructionRun.table(result, base);
      OutputFiles.writeString(summary, "# Reconstruction: " + images + "\n\n" + table);
      PrintWriter out = spec.commandLine().getOut();
      out.print(table);
      out.printf("wrote %s%n", summary);
      out.flush();
      return 0;
    }
  }
}
