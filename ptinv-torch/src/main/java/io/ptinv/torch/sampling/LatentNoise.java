package io.ptinv.torch.sampling;

import io.ptinv.torch.runtime.Tensors;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;

/**
 * Seeded standard-normal latents drawn in Java, so that a seed gives the same noise on every device,
 * platform and LibTorch version.
 */
public final class LatentNoise {
  private LatentNoise() {}

  public static Tensor gaussian(long seed, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    float[] v = new float[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i += 2) {
      // Box-Muller: two independent normals from two uniforms
      double u1 = 1.0 - rng.nextDouble();
      double u2 = rng.nextDouble();
      double r = Math.sqrt(-2.0 * Math.log(u1));
      v[i] = (float) (r * Math.cos(2 * Math.PI * u2));
      if (i + 1 < v.length) {
        v[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
      }
    }
    return Tensors.fromFloats(v, shape);
  }
}
