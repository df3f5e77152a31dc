package io.ptinv.torch.inversion;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.EditOptions;
import io.ptinv.InversionMethod;
import io.ptinv.InversionOptions;
import io.ptinv.OptimizerKind;
import io.ptinv.ProgressListener;
import io.ptinv.torch.LoadOptions;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.editing.EditControls;
import io.ptinv.torch.editing.EditSampler;
import io.ptinv.torch.io.SafeTensorsFile;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.sampling.StageProgress;
import io.ptinv.torch.testing.Golden;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model in bfloat16 (the reduced precision the CPU runs; fp16 takes the same path on CUDA): the embeddings PTI and
 * NTI tune, their optimiser state and the loss stay fp32, the UNet casts its inputs, and the results follow fp32's.
 */
class MixedPrecisionTest {
  private static final String PROMPT = "a photo of a red car";

  private static StableDiffusion load(Precision precision) {
    return StableDiffusion.load(Golden.tinyModel(), new LoadOptions(ComputeDevice.CPU, precision, null, null));
  }

  /** The golden SGD plumbing (N = 2, lr 5: smooth in its input, unlike Adam's first step) over 10 steps. */
  private static InversionOptions sgd(InversionMethod method) {
    return InversionOptions.builder().method(method).steps(10).guidanceScale(7.5).innerSteps(2).learningRate(5.0)
        .optimizer(OptimizerKind.SGD).build();
  }

  private static Tensor edit(StableDiffusion sd, TorchTrajectory t, double eta) {
    return EditSampler.sample(sd, t, sd.encodePrompt("a photo of a yellow car"), eta, EditOptions.Interpolation.CONDITION,
        EditControls.NONE, new StageProgress(ProgressListener.NONE));
  }

  @Test
  void bf16TunesFp32EmbeddingsThatFollowFp32sAndEtaZeroIsItsReconstruction(@TempDir Path dir) {
    try (StableDiffusion fp32 = load(Precision.FP32); StableDiffusion bf16 = load(Precision.BF16);
        SafeTensorsFile ref = Golden.reference(); PointerScope scope = new PointerScope()) {
      Tensor z0 = ref.read("vae.z0_scaled");
      // the latent in the model's precision, as StableDiffusion.encodeImage gives it
      Tensor z0Half = z0.to(torch.ScalarType.BFloat16);
      try (TorchTrajectory full = Inversion.run(fp32, z0, PROMPT, sgd(InversionMethod.PTI), ProgressListener.NONE);
          TorchTrajectory half = Inversion.run(bf16, z0Half, PROMPT, sgd(InversionMethod.PTI), ProgressListener.NONE)) {
        assertThat(half.latentTensor(3).scalar_type().value).isEqualTo(torch.ScalarType.BFloat16.value);
        for (int i = 0; i < 10; i++) {
          assertThat(half.condTensor(i).scalar_type().value).as("tuned embedding %d", i).isEqualTo(torch.ScalarType.Float.value);
        }
        // the tuning's move from the prompt's embedding: bf16's (its UNet and latents carry ~1% error) points where
        // fp32's does
        Tensor start = fp32.encodePrompt(PROMPT);
        Tensor moveFull = full.condTensor(9).sub(start);
        Tensor moveHalf = half.condTensor(9).sub(start);
        double cosine = moveFull.mul(moveHalf).sum().item_double()
            / Math.sqrt(moveFull.pow(new org.bytedeco.pytorch.Scalar(2)).sum().item_double()
                * moveHalf.pow(new org.bytedeco.pytorch.Scalar(2)).sum().item_double());
        double moved = Golden.relL2(full.condTensor(9), start);
        double apart = Golden.relL2(half.condTensor(9), full.condTensor(9));
        System.out.printf("PTI (SGD) in bf16: embeddings %.2e from fp32's, the tuning moved them %.2e; cosine of the"
            + " moves %.4f%n", apart, moved, cosine);
        assertThat(moved).isGreaterThan(1e-2);
        assertThat(cosine).isGreaterThan(0.9);
        assertThat(apart).isLessThan(0.5 * moved);
        assertThat(torch.isfinite(half.condTensor(9)).all().item_bool()).isTrue();

        // eta = 0 repeats the tuning's own reconstruction op for op, in bf16 too
        java.util.List<Tensor> latents = new java.util.ArrayList<>();
        for (int k = 0; k <= 10; k++) {
          latents.add(half.latentTensor(k));
        }
        PerTimestepTuning.Result tuned = PerTimestepTuning.tune(bf16.unet(), new io.ptinv.torch.sampling.DdimScheduler(
            bf16.schedule(), 10), latents, bf16.encodePrompt(PROMPT), bf16.encodePrompt(""), 7.5,
            TuningPlan.pti(sgd(InversionMethod.PTI)), (i, j, loss) -> {});
        assertThat(Golden.maxAbs(edit(bf16, half, 0.0), tuned.reconstruction())).isZero();

        // an edit in bf16 is as far from fp32's as bf16 itself puts plain DDIM editing (CFG 7.5 over a random-weight
        // model amplifies bf16's rounding): the fp32 embeddings add no error of their own
        double editApart = Golden.relL2(edit(bf16, half, 0.9), edit(fp32, full, 0.9));
        double ddimApart;
        try (TorchTrajectory d32 = Inversion.run(fp32, z0, PROMPT, sgd(InversionMethod.DDIM), ProgressListener.NONE);
            TorchTrajectory d16 = Inversion.run(bf16, z0Half, PROMPT, sgd(InversionMethod.DDIM), ProgressListener.NONE)) {
          ddimApart = Golden.relL2(edit(bf16, d16, 0.9), edit(fp32, d32, 0.9));
        }
        System.out.printf("edit at eta 0.9 in bf16: PTI %.2e from fp32's, DDIM %.2e%n", editApart, ddimApart);
        assertThat(torch.isfinite(edit(bf16, half, 0.9)).all().item_bool()).isTrue();
        assertThat(editApart).isLessThan(1.5 * ddimApart + 0.02);

        // a saved bf16 trajectory keeps its fp32 embeddings: editing it from the file is editing it in memory
        Path file = dir.resolve("bf16.ptinv");
        TrajectoryFiles.save(half, file);
        try (TorchTrajectory loaded = TrajectoryFiles.load(file, bf16)) {
          assertThat(loaded.condTensor(4).scalar_type().value).isEqualTo(torch.ScalarType.Float.value);
          assertThat(Golden.maxAbs(edit(bf16, loaded, 0.9), edit(bf16, half, 0.9))).isZero();
        }
      }
    }
  }

  @Test
  void ntiInBf16TunesAnFp32NullEmbedding() {
    try (StableDiffusion bf16 = load(Precision.BF16); SafeTensorsFile ref = Golden.reference();
        PointerScope scope = new PointerScope();
        TorchTrajectory t = Inversion.run(bf16, ref.read("vae.z0_scaled").to(torch.ScalarType.BFloat16), PROMPT,
            InversionOptions.builder().method(InversionMethod.NTI).steps(4).build(), ProgressListener.NONE)) {
      for (int i = 0; i < 4; i++) {
        assertThat(t.uncondTensor(i).scalar_type().value).isEqualTo(torch.ScalarType.Float.value);
        assertThat(torch.isfinite(t.uncondTensor(i)).all().item_bool()).isTrue();
      }
      assertThat(t.condTensor(0).scalar_type().value).isEqualTo(torch.ScalarType.BFloat16.value); // NTI keeps the prompt's c
    }
  }
}
