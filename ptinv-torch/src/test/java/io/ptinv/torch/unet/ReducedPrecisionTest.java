package io.ptinv.torch.unet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.torch.nn.RandomParams;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.testing.Golden;
import io.ptinv.torch.testing.TinyModels;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same UNet in fp16 and bf16 gives the fp32 prediction and the fp32 gradient with respect to the
 * context within reduced-precision error. Runs on CPU (LibTorch computes half types there too), so the
 * mixed-precision code path is exercised without a GPU; the CLI only offers fp16/bf16 on CUDA.
 */
class ReducedPrecisionTest {

  private static Tensor[] epsAndGrad(Precision precision, Tensor z, Tensor ctx) {
    RandomParams params = new RandomParams(11, ComputeDevice.CPU, precision);
    try {
      UNet2DConditionModel unet = TinyModels.unet(params);
      Tensor leaf = ctx.to(precision.scalarType()).detach().requires_grad_(true);
      Tensor eps = unet.forward(z.to(precision.scalarType()), 401, Conditioning.shared(leaf));
      eps.to(torch.ScalarType.Float).pow(new Scalar(2)).mean().backward();
      return new Tensor[] {eps.to(torch.ScalarType.Float), leaf.grad().to(torch.ScalarType.Float)};
    } finally {
      params.releaseAll();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Precision.class, names = {"FP16", "BF16"})
  void forwardAndEmbeddingGradientMatchFp32(Precision precision) {
    try (PointerScope scope = new PointerScope()) {
      Tensor z = torch.randn(1, 4, 16, 16);
      Tensor ctx = torch.randn(1, 77, 16);
      Tensor[] full = epsAndGrad(Precision.FP32, z, ctx);
      Tensor[] reduced = epsAndGrad(precision, z, ctx);
      assertThat(Golden.relL2(reduced[0], full[0])).as("eps relative error").isLessThan(0.03);
      assertThat(Golden.relL2(reduced[1], full[1])).as("d loss / d context relative error").isLessThan(0.1);
      assertThat(Golden.maxAbs(full[1], torch.zeros_like(full[1]))).as("gradient is not zero").isGreaterThan(1e-6);
    }
  }
}
