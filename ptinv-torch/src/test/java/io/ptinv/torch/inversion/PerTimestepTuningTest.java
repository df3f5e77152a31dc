package io.ptinv.torch.inversion;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.EditOptions;
import io.ptinv.InversionMethod;
import io.ptinv.InversionOptions;
import io.ptinv.ProgressListener;
import io.ptinv.torch.LoadOptions;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.editing.EditSampler;
import io.ptinv.torch.io.SafeTensorsFile;
import io.ptinv.torch.nn.RandomParams;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.sampling.DdimScheduler;
import io.ptinv.torch.sampling.Guidance;
import io.ptinv.torch.sampling.StageProgress;
import io.ptinv.torch.testing.Golden;
import io.ptinv.torch.testing.TinyModels;
import io.ptinv.torch.unet.AttentionControl;
import io.ptinv.torch.unet.Conditioning;
import io.ptinv.torch.unet.UNet2DConditionModel;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** The tuning objective's gradient, the effect of one step, and the reconstruction ordering of the methods. */
class PerTimestepTuningTest {
  static final double W = 7.5;

  /** loss(c) = mean((DDIM_step(z, eps_u + w (eps(c) - eps_u), t) - target)^2), as PTI minimises it. */
  private static Tensor loss(UNet2DConditionModel unet, DdimScheduler ddim, Tensor z, Tensor u, Tensor c, Tensor target) {
    Tensor eps = Guidance.epsSeparate(unet, z, 501, u, c, W, AttentionControl.NONE);
    return torch.mse_loss(ddim.step(z, eps, 501), target, 1);
  }

  @Test
  void gradientThroughOneCfgDdimStepMatchesFiniteDifferences() {
    try (PointerScope scope = new PointerScope()) {
      RandomParams params = TinyModels.params(3);
      try {
        UNet2DConditionModel unet = TinyModels.unet(params);
        DdimScheduler ddim = new DdimScheduler(io.ptinv.Schedule.stableDiffusion(), 50);
        Tensor z = torch.randn(1, 4, 8, 8);
        Tensor u = torch.randn(1, 77, 16);
        Tensor c = torch.randn(1, 77, 16);
        Tensor target = torch.randn(1, 4, 8, 8);
        Tensor leaf = c.clone().requires_grad_(true);
        loss(unet, ddim, z, u, leaf, target).backward();
        Tensor direction = torch.randn(1, 77, 16);
        double analytic = leaf.grad().mul(direction).sum().item_double();
        double h = 1e-2;
        double plus = loss(unet, ddim, z, u, c.add(direction.mul(new Scalar(h))), target).item_double();
        double minus = loss(unet, ddim, z, u, c.sub(direction.mul(new Scalar(h))), target).item_double();
        double numeric = (plus - minus) / (2 * h);
        assertThat(Math.abs(analytic)).as("directional derivative is not trivially zero").isGreaterThan(1e-4);
        assertThat(Math.abs(analytic - numeric)).as("autograd %s vs central difference %s", analytic, numeric)
            .isLessThan(2e-2 * Math.abs(analytic));
      } finally {
        params.releaseAll();
      }
    }
  }

  @Test
  void onePtiInnerStepLowersThatStepsLoss() {
    try (StableDiffusion sd = goldenModel(); SafeTensorsFile ref = Golden.reference(); PointerScope scope = new PointerScope()) {
      DdimScheduler ddim = new DdimScheduler(sd.schedule(), 10);
      Tensor u = ref.read("unet.uncond");
      List<Tensor> latents = DdimInversion.invert(sd.unet(), ddim, ref.read("vae.z0_scaled"), u, () -> {});
      Tensor c = ref.read("unet.cond");
      Tensor z = latents.get(10);
      Tensor target = latents.get(9);
      int t = ddim.timesteps()[0];
      double before = lossAt(sd, ddim, z, u, c, target, t);
      PerTimestepTuning.Result r = PerTimestepTuning.tune(sd.unet(), ddim, latents, c, u, W,
          TuningPlan.pti(InversionOptions.builder().steps(10).build()), (i, j, l) -> {});
      double after = lossAt(sd, ddim, z, u, r.cond().get(0), target, t);
      assertThat(after).as("loss after one Adam step (before: %s)", before).isLessThan(0.9 * before);
    }
  }

  private static double lossAt(StableDiffusion sd, DdimScheduler ddim, Tensor z, Tensor u, Tensor c, Tensor target, int t) {
    try (PointerScope s = new PointerScope()) {
      Tensor eps = Guidance.epsSeparate(sd.unet(), z, t, u, c, W, AttentionControl.NONE);
      return torch.mse_loss(ddim.step(z, eps, t), target, 1).item_double();
    }
  }

  private static StableDiffusion goldenModel() {
    return StableDiffusion.load(Golden.tinyModel(), new LoadOptions(ComputeDevice.CPU, Precision.FP32, null, null));
  }

  /** ||z~_0 - z_0|| / ||z_0|| of a method's eta = 0 reconstruction at w = 7.5. */
  private static double reconstructionError(StableDiffusion sd, Tensor z0, InversionOptions options) {
    try (PointerScope s = new PointerScope();
        TorchTrajectory t = Inversion.run(sd, z0, "a photo of a red car", options, ProgressListener.NONE)) {
      Tensor rec = EditSampler.sample(sd, t, t.condTensor(0), 0.0, EditOptions.Interpolation.CONDITION,
          io.ptinv.torch.editing.EditControls.NONE, new StageProgress(ProgressListener.NONE));
      return Golden.relL2(rec, z0);
    }
  }

  @Test
  void reconstructionImprovesFromDdimToPtiOneToPtiFive() {
    try (StableDiffusion sd = goldenModel(); SafeTensorsFile ref = Golden.reference(); PointerScope scope = new PointerScope()) {
      Tensor z0 = ref.read("vae.z0_scaled");
      InversionOptions base = InversionOptions.builder().steps(10).guidanceScale(W).build();
      double ddim = reconstructionError(sd, z0, base.toBuilder().method(InversionMethod.DDIM).build());
      double pti1 = reconstructionError(sd, z0, base.toBuilder().innerSteps(1).build());
      double pti5 = reconstructionError(sd, z0, base.toBuilder().innerSteps(5).build());
      double nti = reconstructionError(sd, z0, base.toBuilder().method(InversionMethod.NTI).build());
      System.out.printf("reconstruction rel. error: DDIM %.4f, PTI N=1 %.4f, PTI N=5 %.4f, NTI %.4f%n", ddim, pti1, pti5, nti);
      assertThat(pti5).isLessThan(pti1);
      assertThat(pti1).isLessThan(ddim);
      assertThat(nti).isLessThan(ddim);
    }
  }
}
