package io.ptinv.torch;

import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.text.TruncationPolicy;
import java.nio.file.Path;

/**
 * How to load a model.
 *
 * @param device where the weights go (default: {@link ComputeDevice#select} with no choice)
 * @param precision fp32 (default), or fp16/bf16 on CUDA; the VAE always runs in fp32
 * @param truncation what to do with prompts over 75 tokens
 * @param configDir for single-file checkpoints: a diffusers folder whose {@code unet/}, {@code vae/},
 *     {@code text_encoder/}, {@code tokenizer/} and {@code scheduler/} configs to use; {@code null} infers
 *     the sizes from the tensor shapes with SD v1's conventions
 */
public record LoadOptions(ComputeDevice device, Precision precision, TruncationPolicy truncation, Path configDir) {

  /** Fills the defaults of {@code null} components and checks that {@code precision} runs on {@code device}. */
  public LoadOptions {
    if (device == null) {
      device = ComputeDevice.select(null);
    }
    if (precision == null) {
      precision = Precision.defaultFor(device);
    }
    precision.checkSupportedOn(device);
    if (truncation == null) {
      truncation = TruncationPolicy.WARN;
    }
  }

  /** The default device (CUDA when usable, else CPU), its default precision, warn on long prompts, no config folder. */
  public static LoadOptions defaults() {
    return new LoadOptions(null, null, null, null);
  }

  /** These options on device {@code d}, keeping the precision (which must run there). */
  public LoadOptions withDevice(ComputeDevice d) {
    return new LoadOptions(d, precision, truncation, configDir);
  }

  /** These options with precision {@code p} ({@code null}: the device's default). */
  public LoadOptions withPrecision(Precision p) {
    return new LoadOptions(device, p, truncation, configDir);
  }

  /** These options with the long-prompt policy {@code t}. */
  public LoadOptions withTruncation(TruncationPolicy t) {
    return new LoadOptions(device, precision, t, configDir);
  }

  /** These options with {@code dir} as the config folder of a single-file checkpoint. */
  public LoadOptions withConfigDir(Path dir) {
    return new LoadOptions(device, precision, truncation, dir);
  }
}
