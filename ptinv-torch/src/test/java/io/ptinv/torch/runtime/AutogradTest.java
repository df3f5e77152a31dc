package io.ptinv.torch.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

/** One real autograd round trip through the binding, checked against central finite differences. */
class AutogradTest {

  private static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  /** conv2d -> matmul -> softmax -> mean, in float64 so that finite differences are exact enough. */
  private static Tensor chain(Tensor x, Tensor kernel, Tensor matrix) {
    Tensor conv = torch.conv2d(x, kernel, new TensorOptional(), new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}, 1);
    Tensor flat = conv.reshape(2, -1); // [2, 2*4*4]
    Tensor logits = torch.matmul(flat, matrix); // [2, 5]
    Tensor probs = logits.softmax(1);
    Tensor weights = Tensors.fromFloats(new float[] {1, 2, 3, 4, 5, 1, 2, 3, 4, 5}, 2, 5).to(ScalarType.Double);
    return probs.mul(weights).mean();
  }

  @Test
  void gradientMatchesCentralFiniteDifferences() {
    try (PointerScope scope = new PointerScope()) {
      Tensor x0 = Tensors.fromFloats(random(2 * 3 * 4 * 4, 1), 2, 3, 4, 4).to(ScalarType.Double);
      Tensor kernel = Tensors.fromFloats(random(2 * 3 * 3 * 3, 2), 2, 3, 3, 3).to(ScalarType.Double);
      // scaled so the softmax is not saturated and the gradient is well away from zero
      Tensor matrix = Tensors.fromFloats(random(32 * 5, 3), 32, 5).to(ScalarType.Double).mul(new org.bytedeco.pytorch.Scalar(0.05));

      Tensor x = x0.clone().requires_grad_(true);
      Tensor loss = chain(x, kernel, matrix);
      loss.backward();
      double[] grad = toDoubles(x.grad());

      double h = 1e-6;
      double[] base = toDoubles(x0);
      double maxErr = 0;
      double maxGrad = 0;
      for (int i = 0; i < base.length; i += 7) {
        double plus = perturbed(base, i, h, kernel, matrix);
        double minus = perturbed(base, i, -h, kernel, matrix);
        double fd = (plus - minus) / (2 * h);
        maxErr = Math.max(maxErr, Math.abs(fd - grad[i]));
        maxGrad = Math.max(maxGrad, Math.abs(grad[i]));
      }
      assertThat(maxGrad).as("gradient is not trivially zero").isGreaterThan(1e-4);
      assertThat(maxErr).as("max |autograd - finite difference|").isLessThan(1e-8);
    }
  }

  private static double perturbed(double[] base, int i, double h, Tensor kernel, Tensor matrix) {
    try (PointerScope scope = new PointerScope()) {
      double[] v = base.clone();
      v[i] += h;
      Tensor x = Tensor.create(v, 2, 3, 4, 4);
      return chain(x, kernel, matrix).item_double();
    }
  }

  private static double[] toDoubles(Tensor t) {
    Tensor c = t.contiguous();
    double[] out = new double[(int) c.numel()];
    ((java.nio.DoubleBuffer) c.createBuffer()).get(out);
    return out;
  }

  @Test
  void noGradGuardStopsGradientTracking() {
    try (PointerScope scope = new PointerScope()) {
      Tensor x = Tensors.fromFloats(new float[] {1, 2}, 2).requires_grad_(true);
      assertThat(x.mul(x).requires_grad()).isTrue();
      try (org.bytedeco.pytorch.NoGradGuard guard = new org.bytedeco.pytorch.NoGradGuard()) {
        assertThat(x.mul(x).requires_grad()).isFalse();
      }
    }
  }
}
