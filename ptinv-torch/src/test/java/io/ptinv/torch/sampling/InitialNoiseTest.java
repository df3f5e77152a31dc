package io.ptinv.torch.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ptinv.torch.runtime.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;

/** Centred noise is the seed's Gaussian noise with exactly each channel's spatial mean taken out. */
class InitialNoiseTest {
  @Test
  void centeredRemovesEachChannelsMeanAndNothingElse() {
    try (PointerScope scope = new PointerScope()) {
      int n = 2, c = 3, h = 5, w = 7;
      float[] g = Tensors.toFloats(InitialNoise.GAUSSIAN.sample(42, n, c, h, w));
      float[] z = Tensors.toFloats(InitialNoise.CENTERED.sample(42, n, c, h, w));
      assertThat(g).containsExactly(Tensors.toFloats(LatentNoise.gaussian(42, n, c, h, w)));
      for (int plane = 0; plane < n * c; plane++) {
        double mean = 0;
        for (int i = 0; i < h * w; i++) {
          mean += g[plane * h * w + i];
        }
        mean /= h * w;
        // a 35-sample mean of standard normals is far from 0 at this precision, so this checks a real shift
        assertThat(Math.abs(mean)).isGreaterThan(1e-3);
        double centredMean = 0;
        for (int i = 0; i < h * w; i++) {
          int k = plane * h * w + i;
          assertThat((double) z[k]).isCloseTo(g[k] - mean, within(1e-5));
          centredMean += z[k];
        }
        assertThat(centredMean / (h * w)).isCloseTo(0.0, within(1e-6));
      }
    }
  }
}
