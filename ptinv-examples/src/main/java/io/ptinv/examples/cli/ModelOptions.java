package io.ptinv.examples.cli;

import io.ptinv.torch.LoadOptions;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by commands that load a model. */
final class ModelOptions {
  /** Where the shipped model lives, below the ptinv home (the launcher sets -Dptinv.home). */
  static final String SHIPPED = "models/shapes";

  @Option(names = "--model", description = "Diffusers model folder or single-file .safetensors checkpoint "
      + "(default: the shipped shapes model).")
  Path model;

  @Option(names = "--config-dir", description = "For a single file: a diffusers folder whose configs and tokenizer to use.")
  Path configDir;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--precision", defaultValue = "fp32", description = "fp32, fp16 or bf16 (fp16 needs CUDA).")
  String precision;

  /** The model to load: --model, else the shipped one. */
  Path path() {
    if (model != null) {
      return model;
    }
    Path home = Path.of(System.getProperty("ptinv.home", "."));
    Path shipped = home.resolve(SHIPPED);
    if (!java.nio.file.Files.isDirectory(shipped)) {
      throw new io.ptinv.InvalidInputException("--model",
          "a model folder or checkpoint: none given and no shipped model at " + shipped.toAbsolutePath().normalize());
    }
    return shipped;
  }

  io.ptinv.torch.io.ModelDefaults defaults() {
    return io.ptinv.torch.io.ModelDefaults.of(path());
  }

  /**
   * How generation draws its starting latent: {@code given} (--initial-noise), else {@code defaults} (this
   * model's ptinv.json, as {@link #defaults()} read it), else Gaussian.
   */
  io.ptinv.torch.sampling.InitialNoise initialNoise(String given, io.ptinv.torch.io.ModelDefaults defaults) {
    String fromFile = defaults.initialNoise();
    String choice = io.ptinv.torch.io.ModelDefaults.pick(given, fromFile, "gaussian");
    return Args.enumValue(io.ptinv.torch.sampling.InitialNoise.class,
        given != null || fromFile == null ? "--initial-noise" : "initial_noise in " + path().resolve("ptinv.json"), choice);
  }

  io.ptinv.torch.StableDiffusion load() {
    return io.ptinv.torch.StableDiffusion.load(path(), toLoadOptions());
  }

  LoadOptions toLoadOptions() {
    ComputeDevice d = ComputeDevice.select(device);
    return new LoadOptions(d, Precision.parse(precision), null, configDir);
  }
}
