package io.ptinv.examples.cli;

import io.ptinv.InvalidInputException;
import io.ptinv.examples.bench.PrecisionComparison;
import io.ptinv.torch.io.ModelConfigs;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.unet.UNetConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ptinv bench precision}: fp16/bf16 against fp32 for the UNet's prediction and PTI's gradient. */
@Command(name = "precision", mixinStandardHelpOptions = true,
    description = "Compare a random-weight UNet in fp16/bf16 with the same weights in fp32: the noise prediction and "
        + "PTI's gradient (relative L2 error, cosine). See docs/gpu.md.")
final class BenchPrecisionCommand implements Callable<Integer> {
  @Option(names = "--config", description = "A UNet config.json (default: SD v1's, bundled).")
  Path config;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N.")
  String device;

  @Option(names = "--latent", description = "Latent side (default: 64 on CUDA, i.e. 512x512 for SD v1; 16 on the CPU).")
  Integer latent;

  @Option(names = "--batch", defaultValue = "2", description = "Batch of the noise prediction (2 = one CFG pair).")
  int batch;

  @Option(names = "--precisions", split = ",", description = "Precisions to compare with fp32 (default: fp16,bf16 on "
      + "CUDA, bf16 on the CPU).")
  List<String> precisions;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the weights and inputs.")
  long seed;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ComputeDevice d = ComputeDevice.select(device);
    List<Precision> ps = new ArrayList<>();
    for (String name : precisions != null ? precisions : d.cuda() ? List.of("fp16", "bf16") : List.of("bf16")) {
      Precision p = Precision.parse(name);
      p.checkSupportedOn(d);
      ps.add(p);
    }
    int side = latent != null ? latent : d.cuda() ? 64 : 16;
    InvalidInputException.check(side >= 8 && side % 8 == 0, "--latent", "a multiple of 8, at least 8", side);
    InvalidInputException.check(batch >= 1, "--batch", "an integer >= 1", batch);
    UNetConfig c = config != null ? ModelConfigs.read(config, UNetConfig.class)
        : ModelConfigs.readResource("/io/ptinv/torch/architectures/sd-v1/unet.json", UNetConfig.class);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("device %s, latent %dx%d, batch %d, UNet %s%n", d, side, side, batch,
        config != null ? config : "SD v1 (bundled config)");
    out.printf("%-10s %14s %14s %14s %14s  %s%n", "precision", "eps rel L2", "eps cosine", "grad rel L2", "grad cosine",
        "finite");
    for (PrecisionComparison.Row r : new PrecisionComparison(c, d, side, batch, seed).run(ps)) {
      out.printf("%-10s %14.3e %14.6f %14.3e %14.6f  %s%n", r.precision().name().toLowerCase(java.util.Locale.ROOT),
          r.epsRelL2(), r.epsCosine(), r.gradRelL2(), r.gradCosine(), r.finite() ? "yes" : "NO");
    }
    out.flush();
    return 0;
  }
}
