package io.ptinv.examples.cli;

import io.ptinv.image.Images;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.sampling.InitialNoise;
import io.ptinv.torch.sampling.TextToImage;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ptinv generate}: text to image with DDIM and classifier-free guidance. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate an image from a prompt (DDIM + CFG).")
final class GenerateCommand implements Callable<Integer> {
  @Mixin ModelOptions model;

  @Option(names = "--prompt", required = true, description = "The text prompt.")
  String prompt;

  @Option(names = "--negative-prompt", defaultValue = "", description = "Unconditional prompt (default empty).")
  String negativePrompt;

  @Option(names = "--steps", description = "DDIM steps (default: the model's ptinv.json, else 50).")
  Integer steps;

  @Option(names = "--guidance", description = "Guidance scale w (default: the model's ptinv.json, else 7.5).")
  Double guidance;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the initial noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--initial-noise", description = "gaussian, or centered: each channel's spatial mean removed from the "
      + "starting latent, so that it gives no hint of the global colour (default: the model's ptinv.json, else gaussian).")
  String initialNoise;

  @Option(names = "--size", description = "Image side in pixels (default: the model's native resolution).")
  Integer size;

  @Option(names = {"-o", "--output"}, required = true, description = "Output PNG.")
  Path output;

  @Override
  public Integer call() {
    io.ptinv.torch.io.ModelDefaults d = model.defaults();
    int steps = io.ptinv.torch.io.ModelDefaults.pick(this.steps, d.steps(), 50);
    double guidance = io.ptinv.torch.io.ModelDefaults.pick(this.guidance, d.guidanceScale(), 7.5);
    io.ptinv.InvalidInputException.check(steps >= 1 && steps <= 1000, "--steps", "an integer in [1, 1000]", steps);
    io.ptinv.InvalidInputException.check(guidance >= 0, "--guidance", "a value >= 0", guidance);
    InitialNoise noise = model.initialNoise(initialNoise, d);
    io.ptinv.files.OutputFiles.checkWritable(output, "--output");
    try (StableDiffusion sd = model.load();
        ConsoleProgress progress = new ConsoleProgress()) {
      int side = size != null ? size : sd.nativeResolution();
      BufferedImage image = TextToImage.generate(sd, prompt, negativePrompt, steps, guidance, seed, side, side, noise,
          progress);
      progress.write(output, () -> Images.write(image, output));
    }
    return 0;
  }
}
