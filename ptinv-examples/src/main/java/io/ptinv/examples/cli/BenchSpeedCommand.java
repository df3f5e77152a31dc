package io.ptinv.examples.cli;

import io.ptinv.InvalidInputException;
import io.ptinv.examples.bench.SpeedBenchmark;
import io.ptinv.examples.bench.SpeedReport;
import io.ptinv.files.OutputFiles;
import io.ptinv.image.Images;
import io.ptinv.torch.LoadOptions;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.editing.PtiEditor;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.runtime.RuntimeInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ptinv bench speed}: per-stage timing of whole edits on a random-weight model of SD v1's size. */
@Command(name = "speed", mixinStandardHelpOptions = true,
    description = "Time whole edits per stage (encode, invert, tune, edit, decode) on a random-weight model (SD v1's "
        + "architecture unless --config-dir): one warm-up, then the median of --repeats; peak memory; a table, "
        + "speed.json and stages.png in -o.")
final class BenchSpeedCommand implements Callable<Integer> {
  /** The reduced defaults on the CPU, where SD v1 at 512x512 and 50 steps would take hours. */
  static final int CPU_SIZE = 128;
  static final int CPU_STEPS = 10;

  @Option(names = "--config-dir", description = "A diffusers folder whose unet/, vae/, text_encoder/ configs give the "
      + "architecture (weights are not read; default: SD v1.x).")
  Path configDir;

  @Option(names = "--size", description = "Image side in pixels, a multiple of 8 (default: 512 on CUDA, "
      + CPU_SIZE + " on the CPU).")
  Integer size;

  @Option(names = "--steps", description = "DDIM steps (default: 50 on CUDA, " + CPU_STEPS + " on the CPU).")
  Integer steps;

  @Option(names = "--guidance", defaultValue = "7.5", description = "Guidance scale (default: ${DEFAULT-VALUE}).")
  double guidance;

  @Option(names = "--repeats", defaultValue = "3", description = "Timed edits per method after one warm-up "
      + "(default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--methods", split = ",", paramLabel = "METHOD", defaultValue = "ddim,pti,pti5,nti,todinv",
      description = "Methods: ddim, pti, pti5, nti, todinv (default: ${DEFAULT-VALUE}).")
  List<String> methods;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--precision", defaultValue = "fp32", description = "fp32, fp16 or bf16 (fp16 needs CUDA).")
  String precision;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the random weights (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = {"-o", "--output"}, required = true, description = "Output folder (speed.json, stages.png).")
  Path output;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    List<SpeedBenchmark.Method> chosen = new ArrayList<>();
    methods.forEach(m -> chosen.add(Args.enumValue(SpeedBenchmark.Method.class, "--methods", m)));
    InvalidInputException.check(repeats >= 1, "--repeats", "an integer >= 1", repeats);
    ComputeDevice d = ComputeDevice.select(device);
    Precision p = Precision.parse(precision);
    p.checkSupportedOn(d);
    int side = size != null ? size : d.cuda() ? 512 : CPU_SIZE;
    int n = steps != null ? steps : d.cuda() ? 50 : CPU_STEPS;
    InvalidInputException.check(side >= 8 && side % 8 == 0, "--size", "a multiple of 8, at least 8", side);
    InvalidInputException.check(n >= 1, "--steps", "an integer >= 1", n);
    if (configDir != null) {
      InvalidInputException.check(java.nio.file.Files.isDirectory(configDir), "--config-dir", "a diffusers folder",
          configDir);
    }
    Path json = output.resolve("speed.json");
    OutputFiles.checkWritable(json, "--output");
    PrintWriter out = spec.commandLine().getOut();
    RuntimeInfo info = RuntimeInfo.collect(device);
    if (!d.cuda() && (size == null || steps == null)) {
      out.printf("CPU: reduced default%s %s (SD v1 at 512x512 and 50 steps takes hours on a CPU); --size and --steps "
          + "change them.%n", size == null && steps == null ? "s" : "", (size == null ? side + "x" + side : "")
          + (size == null && steps == null ? " and " : "") + (steps == null ? n + " steps" : ""));
    }
    out.printf("device %s (%s), %s, %s, %dx%d, %d steps, w = %.1f, median of %d after 1 warm-up, %d threads%n", d,
        info.deviceName(), p, configDir == null ? "SD v1 architecture" : configDir, side, side, n, guidance, repeats,
        info.threads());
    out.flush();
    List<SpeedBenchmark.Row> rows;
    long t0 = System.nanoTime();
    try (PtiEditor editor = new PtiEditor(StableDiffusion.randomWeights(configDir, new LoadOptions(d, p, null, null),
        seed), true)) {
      out.printf("random weights built in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      out.flush();
      rows = new SpeedBenchmark(editor, d, side, n, guidance, repeats).run(chosen, row -> {
        out.printf(Locale.ROOT, "measured %s: %.2f s per edit%n", row.method(), row.totalSeconds());
        out.flush();
      });
    }
    out.print(SpeedReport.table(rows));
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("device", d.toString());
    settings.put("device_name", info.deviceName());
    settings.put("precision", p.name().toLowerCase(Locale.ROOT));
    settings.put("architecture", configDir == null ? "sd-v1" : configDir.toString());
    settings.put("size", side);
    settings.put("steps", n);
    settings.put("guidance", guidance);
    settings.put("repeats", repeats);
    settings.put("threads", info.threads());
    settings.put("date", java.time.LocalDate.now().toString());
    OutputFiles.writeString(json, SpeedReport.json(settings, rows));
    Images.write(SpeedReport.bars(String.format(Locale.ROOT, "Per-stage time, %s %s, %dx%d, %d steps", d, p, side, side,
        n), rows), output.resolve("stages.png"));
    out.printf("wrote %s and %s%n", json, output.resolve("stages.png"));
    out.flush();
    return 0;
  }
}
