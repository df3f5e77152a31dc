package io.ptinv.examples.bench;

import io.ptinv.Schedule;
import io.ptinv.torch.nn.RandomParams;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.runtime.Torch;
import io.ptinv.torch.sampling.DdimScheduler;
import io.ptinv.torch.sampling.Guidance;
import io.ptinv.torch.unet.Conditioning;
import io.ptinv.torch.unet.UNet2DConditionModel;
import io.ptinv.torch.unet.UNetConfig;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * A random-weight UNet in reduced precision against the same weights in fp32 on one device: the noise prediction of
 * a batch, and PTI's gradient — {@code d/dc mean((DDIM_step(z, eps_u + w (eps(c) - eps_u), t) - target)^2)} with c
 * an fp32 leaf, as {@code PerTimestepTuning} computes it (the UNet casts c to its precision; the loss is fp32).
 */
public final class PrecisionComparison {
  private static final int T = 501;
  private static final double W = 7.5;

  /**
   * One precision against fp32.
   *
   * @param epsRelL2 relative L2 error of the noise prediction
   * @param epsCosine cosine similarity of the noise predictions
   * @param gradRelL2 relative L2 error of PTI's gradient
   * @param gradCosine cosine similarity of the gradients (the direction the tuning moves in)
   * @param finite whether both are free of NaN and Inf
   */
  public record Row(Precision precision, double epsRelL2, double epsCosine, double gradRelL2, double gradCosine,
      boolean finite) {}

  private final UNetConfig config;
  private final ComputeDevice device;
  private final int latent;
  private final int batch;
  private final long seed;

  /**
   * @param latent the latent side (64 = SD v1 at 512x512)
   * @param batch the noise prediction's batch (2 = one CFG pair)
   */
  public PrecisionComparison(UNetConfig config, ComputeDevice device, int latent, int batch, long seed) {
    this.config = config;
    this.device = device;
    this.latent = latent;
    this.batch = batch;
    this.seed = seed;
  }

  /** Each of {@code precisions} against fp32 (fp32 itself gives zero errors: the weights are the same). */
  public List<Row> run(List<Precision> precisions) {
    List<Row> rows = new ArrayList<>();
    try (PointerScope scope = new PointerScope()) {
      Torch.manualSeed(seed + 1);
      TensorOptions fp32 = new TensorOptions(torch.ScalarType.Float)
          .device(new org.bytedeco.pytorch.DeviceOptional(device.toTorch()));
      long d = config.crossAttentionDim();
      Tensor z = torch.randn(new long[] {batch, config.inChannels(), latent, latent}, fp32);
      Tensor ctx = torch.randn(new long[] {batch, 77, d}, fp32);
      Tensor u = torch.randn(new long[] {1, 77, d}, fp32);
      Tensor target = torch.randn(new long[] {1, config.inChannels(), latent, latent}, fp32);
      Tensor[] reference = measure(Precision.FP32, z, ctx, u, target);
      for (Precision p : precisions) {
        Tensor[] ours = p == Precision.FP32 ? reference : measure(p, z, ctx, u, target);
        boolean finite = torch.isfinite(ours[0]).all().item_bool() && torch.isfinite(ours[1]).all().item_bool();
        rows.add(new Row(p, relL2(ours[0], reference[0]), cosine(ours[0], reference[0]), relL2(ours[1], reference[1]),
            cosine(ours[1], reference[1]), finite));
      }
    }
    return rows;
  }

  /** {eps, gradient} in fp32 from a UNet built in {@code p} with this comparison's seed, in the caller's scope. */
  private Tensor[] measure(Precision p, Tensor z, Tensor ctx, Tensor u, Tensor target) {
    PointerScope outer = PointerScope.getInnerScope();
    RandomParams params = new RandomParams(seed, device, p);
    try (PointerScope scope = new PointerScope()) {
      UNet2DConditionModel unet = new UNet2DConditionModel(params, config);
      Tensor eps;
      Tensor epsU;
      Tensor z1 = z.narrow(0, 0, 1);
      try (NoGradGuard g = new NoGradGuard()) {
        eps = unet.forward(z, T, Conditioning.shared(ctx)).to(torch.ScalarType.Float);
        epsU = unet.forward(z1, T, Conditioning.shared(u)).to(torch.ScalarType.Float);
      }
      Tensor leaf = ctx.narrow(0, 0, 1).detach().requires_grad_(true);
      Tensor epsC = unet.forward(z1, T, Conditioning.shared(leaf)).to(torch.ScalarType.Float);
      DdimScheduler ddim = new DdimScheduler(Schedule.stableDiffusion(), 50);
      torch.mse_loss(ddim.step(z1, Guidance.combine(epsU, epsC, W), T), target, 1).backward();
      Tensor grad = leaf.grad().detach();
      outer.attach(eps); // the results outlive this UNet's scope and weights
      outer.attach(grad);
      return new Tensor[] {eps, grad};
    } finally {
      params.releaseAll();
    }
  }

  private static double relL2(Tensor a, Tensor b) {
    return Math.sqrt(dot(a.sub(b), a.sub(b)) / dot(b, b));
  }

  private static double cosine(Tensor a, Tensor b) {
    return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
  }

  /** In double precision: fp32 sums of 10^5 squares would round. */
  private static double dot(Tensor a, Tensor b) {
    return a.to(torch.ScalarType.Double).mul(b.to(torch.ScalarType.Double)).sum().item_double();
  }
}
