package io.ptinv.examples.cli;

import io.ptinv.EditOptions;
import io.ptinv.InvalidInputException;
import io.ptinv.InversionOptions;
import io.ptinv.examples.bench.BenchmarkReport;
import io.ptinv.examples.bench.ShapesBenchmark;
import io.ptinv.torch.editing.PtiEditor;
import io.ptinv.torch.io.ModelDefaults;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ptinv bench shapes}: the shipped model measured with the analyser; CSV, Markdown and a plot. */
@Command(name = "shapes", mixinStandardHelpOptions = true,
    description = "Measure generation, reconstruction and editing on seeded shapes cases (writes report.md, generation.csv, edits.csv, tradeoff.png).")
final class BenchShapesCommand implements Callable<Integer> {
  @Mixin ModelOptions model;

  @Option(names = {"-o", "--output"}, required = true, description = "Output folder.")
  Path output;

  @Option(names = "--generation-cases", defaultValue = "100", description = "Captions to generate (default: ${DEFAULT-VALUE}).")
  int generationCases;

  @Option(names = "--reconstruction-cases", defaultValue = "100", description = "Images to reconstruct per method (default: ${DEFAULT-VALUE}).")
  int reconstructionCases;

  @Option(names = "--edit-cases", defaultValue = "100", description = "Source images to edit (x3 edit types) (default: ${DEFAULT-VALUE}).")
  int editCases;

  @Option(names = "--etas", defaultValue = "0.5,0.7,0.8,0.9,1", description = "Etas (default: ${DEFAULT-VALUE}; the "
      + "model's recommended eta from its ptinv.json is added when missing).")
  String etas;

  @Option(names = "--methods", split = ",", paramLabel = "METHOD", defaultValue = "vae,ddim,nti,pti,pti5,pti-blend",
      description = "Methods to measure: vae (reconstruction only), ddim, nti, pti, pti5 (reconstruction only), "
          + "pti-blend, ddim-p2p, nti-p2p (editing only), todinv (TODInv + P2P; reconstruction: all layers), "
          + "todinv-unguided, todinv-shared, todinv-plain, todinv-reverse, todinv-all (the last three editing only) "
          + "(default: ${DEFAULT-VALUE}).")
  List<String> methods;

  @Option(names = "--blend-thresholds", split = ",", paramLabel = "TAU", description = "Local-blend mask thresholds "
      + "to measure PTI + local blend at, each in its own rows (default: the model's ptinv.json, else 0.3).")
  List<Double> blendThresholds;

  @Option(names = "--first-case", defaultValue = "0", description = "Index of every section's first case; cases are "
      + "seeded by index, so runs over disjoint ranges add up to one longer run (default: ${DEFAULT-VALUE}).")
  int firstCase;

  @Option(names = "--initial-noise", description = "Generation's starting latent: gaussian or centered (default: the "
      + "model's ptinv.json, else gaussian).")
  String initialNoise;

  @Option(names = "--steps", defaultValue = "50", description = "DDIM steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--guidance", defaultValue = "7.5", description = "Guidance scale (default: ${DEFAULT-VALUE}).")
  double guidance;

  @Option(names = "--seed", defaultValue = "1000", description = "Seed of the cases (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--todinv-lr", description = "TODInv's AdamW learning rate for the todinv methods (default: the "
      + "model's ptinv.json, else the paper's 1e-3).")
  Double todinvLr;

  @Override
  public Integer call() {
    List<Double> etaValues = new java.util.ArrayList<>(Args.etas("--etas", etas));
    ModelDefaults defaults = model.defaults();
    Double recommended = defaults.eta();
    if (recommended != null && !etaValues.contains(recommended)) {
      etaValues.add(recommended);
      java.util.Collections.sort(etaValues);
    }
    io.ptinv.TodInvOptions t = io.ptinv.TodInvOptions.defaults();
    InversionOptions base = InversionOptions.builder().steps(steps).guidanceScale(guidance)
        .todinv(t.withLearningRate(ModelDefaults.pick(todinvLr, defaults.todinvLearningRate(), t.learningRate())))
        .build();
    java.util.Set<ShapesBenchmark.Method> chosen = java.util.EnumSet.noneOf(ShapesBenchmark.Method.class);
    methods.forEach(m -> chosen.add(Args.enumValue(ShapesBenchmark.Method.class, "--methods", m)));
    List<Double> thresholds = blendThresholds != null ? blendThresholds
        : List.of(ModelDefaults.pick(null, defaults.blendThreshold(), EditOptions.DEFAULT_BLEND_THRESHOLD));
    thresholds.forEach(tau -> InvalidInputException.check(tau > 0 && tau < 1, "--blend-thresholds", "values in (0, 1)", tau));
    InvalidInputException.check(firstCase >= 0, "--first-case", "an index >= 0", firstCase);
    io.ptinv.torch.sampling.InitialNoise noise = model.initialNoise(initialNoise, defaults);
    long t0 = System.nanoTime();
    try (PtiEditor editor = new PtiEditor(model.load(), true)) {
      CaseBars bars = new CaseBars();
      ShapesBenchmark bench = new ShapesBenchmark(editor, base, seed, chosen).withProgress(bars)
          .withBlendThresholds(thresholds).withInitialNoise(noise)
          .withFirstCase(firstCase);
      var gen = generationCases > 0 ? bench.generation(generationCases) : null;
      var rec = reconstructionCases > 0 ? bench.reconstruction(reconstructionCases) : List.<ShapesBenchmark.Reconstruction>of();
      var edits = editCases > 0 ? bench.editing(editCases, etaValues) : List.<ShapesBenchmark.Edit>of();
      bars.close();
      String header = String.format(Locale.ROOT, "## Shapes benchmark%n%nModel `%s` (id %s), %d DDIM steps, w = %.1f, case seed %d, first case %d, "
          + "generation from %s noise, local-blend threshold %s, TODInv lr %s, device %s, %d threads; %.1f min in all.",
          editor.model().source(), editor.model().modelId(), steps, guidance, seed, firstCase,
          noise.name().toLowerCase(Locale.ROOT), thresholds, base.todinv().learningRate(),
          editor.model().device(), org.bytedeco.pytorch.global.torch.get_num_threads(), (System.nanoTime() - t0) / 6e10);
      BenchmarkReport.write(output, header, gen, rec, edits);
    }
    System.err.println("wrote " + output.resolve("report.md"));
    return 0;
  }

  /** One progress bar (with ETA) per benchmark section, on stderr. */
  private static final class CaseBars implements ShapesBenchmark.Progress {
    private String section;
    private me.tongfei.progressbar.ProgressBar bar;

    @Override
    public void onCase(String name, int done, int total) {
      if (!name.equals(section)) {
        close();
        section = name;
        bar = new me.tongfei.progressbar.ProgressBarBuilder().setTaskName(name).setInitialMax(total)
            .setStyle(me.tongfei.progressbar.ProgressBarStyle.ASCII)
            .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
      }
      bar.stepTo(done);
    }

    void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }
}
