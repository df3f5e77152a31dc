package io.ptinv.examples.cli;

import io.ptinv.torch.io.ModelConfigs;
import io.ptinv.torch.nn.RandomParams;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.runtime.RuntimeInfo;
import io.ptinv.torch.unet.Conditioning;
import io.ptinv.torch.unet.UNet2DConditionModel;
import io.ptinv.torch.unet.UNetConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ptinv bench unet}: times a random-weight UNet forward and forward+backward from a config. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (see docs/benchmarks.md).",
    subcommands = {BenchCommand.Unet.class, BenchPrecisionCommand.class, BenchShapesCommand.class, BenchSoakCommand.class,
        BenchSpeedCommand.class})
final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "unet", mixinStandardHelpOptions = true,
      description = "Time one UNet forward and forward+backward (w.r.t. the context) with random weights.")
  static final class Unet implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "A UNet config.json, e.g. ../shared/golden/sd-v1/unet/config.json.")
    Path config;

    @Option(names = "--latent", defaultValue = "64", description = "Latent side (64 = 512x512 images for SD v1).")
    int latent;

    @Option(names = "--batch", defaultValue = "2", description = "Batch (2 = one CFG pair).")
    int batch;

    @Option(names = "--iterations", defaultValue = "3", description = "Timed iterations after one warm-up.")
    int iterations;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N.")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", description = "fp32, fp16 or bf16.")
    String precision;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      UNetConfig c = ModelConfigs.read(config, UNetConfig.class);
      ComputeDevice d = ComputeDevice.select(device);
      Precision p = Precision.parse(precision);
      p.checkSupportedOn(d);
      PrintWriter out = spec.commandLine().getOut();
      RuntimeInfo info = RuntimeInfo.collect(device);
      out.printf("device %s (%s), %s, batch %d, latent %dx%d, threads %d%n", d, info.deviceName(), p, batch, latent, latent,
          info.threads());
      RandomParams params = new RandomParams(0, d, p);
      try (PointerScope scope = new PointerScope()) {
        long t0 = System.nanoTime();
        UNet2DConditionModel unet = new UNet2DConditionModel(params, c);
        out.printf("built %d parameter tensors in %.1f s%n", params.requested().size(), (System.nanoTime() - t0) / 1e9);
        out.flush();
        TensorOptions opts = params.options();
        Tensor z = torch.randn(new long[] {batch, c.inChannels(), latent, latent}, opts);
        Tensor ctx = torch.randn(new long[] {batch, 77, c.crossAttentionDim()}, opts);
        double fwd = time(iterations, () -> {
          try (NoGradGuard g = new NoGradGuard()) {
            sync(unet.forward(z, 501, Conditioning.shared(ctx)), d);
          }
        });
        out.printf("forward           %8.1f ms%n", fwd);
        out.flush();
        double bwd = time(iterations, () -> {
          Tensor leaf = ctx.detach().requires_grad_(true);
          unet.forward(z, 501, Conditioning.shared(leaf)).pow(new Scalar(2)).mean().backward();
          sync(leaf.grad(), d);
        });
        out.printf("forward+backward  %8.1f ms%n", bwd);
      } finally {
        params.releaseAll();
      }
      out.flush();
      return 0;
    }

    private static void sync(Tensor t, ComputeDevice d) {
      if (d.cuda()) {
        t.sum().item_double(); // forces the queue to finish
      }
    }

    private static double time(int n, Runnable r) {
      try (PointerScope warm = new PointerScope()) {
        r.run();
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        try (PointerScope s = new PointerScope()) {
          r.run();
        }
      }
      return (System.nanoTime() - t0) / 1e6 / n;
    }
  }
}
