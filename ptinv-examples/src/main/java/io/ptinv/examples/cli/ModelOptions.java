package io.ptinv.examples.cli;

import io.ptinv.torch.LoadOptions;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by commands that load a model. */
final class ModelOptions {
  @Option(names = "--model", required = true, description = "Diffusers model folder or single-file .safetensors checkpoint.")
  Path model;

  @Option(names = "--config-dir", description = "For a single file: a diffusers folder whose configs and tokenizer to use.")
  Path configDir;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--precision", defaultValue = "fp32", description = "fp32, fp16 or bf16 (fp16/bf16 need CUDA).")
  String precision;

  LoadOptions toLoadOptions() {
    ComputeDevice d = ComputeDevice.select(device);
    return new LoadOptions(d, Precision.parse(precision), null, configDir);
  }
}
