package io.ptinv.torch.unet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.torch.nn.RandomParams;
import io.ptinv.torch.testing.Golden;
import io.ptinv.torch.testing.TinyModels;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The attention seam: storing maps is transparent, replacing maps really replaces them. */
class AttentionControlTest {
  static RandomParams params;
  static UNet2DConditionModel unet;

  @BeforeAll
  static void build() {
    try (PointerScope scope = new PointerScope()) {
      params = TinyModels.params(7);
      unet = TinyModels.unet(params);
    }
  }

  @AfterAll
  static void release() {
    params.releaseAll();
  }

  @Test
  void storingMapsLeavesTheOutputUnchangedAndGivesProbabilities() {
    try (PointerScope scope = new PointerScope(); AttentionStore store = AttentionStore.allCrossLayers()) {
      Tensor z = torch.randn(1, 4, 16, 16);
      Conditioning cond = Conditioning.shared(torch.randn(1, 77, 16));
      Tensor fused = unet.forward(z, 301, cond);
      Tensor hooked = unet.forward(z, 301, cond, store);
      assertThat(Golden.maxAbs(fused, hooked)).isLessThan(1e-5);
      Map<Integer, Tensor> maps = store.maps();
      assertThat(maps).hasSize(unet.crossAttentionLayers().size());
      Tensor first = maps.get(0);
      assertThat(first.shape()).containsExactly(1, 4, 256, 77); // 16x16 queries at full latent resolution
      Tensor rowSums = first.sum(new long[] {-1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
      assertThat(Golden.maxAbs(rowSums, torch.ones_like(rowSums))).isLessThan(1e-5);
      int mid = unet.crossAttentionLayers().size() - 1;
      assertThat(maps.get(mid).shape()).containsExactly(1, 4, 4, 77); // mid block: 2x2 at 1/8
    }
  }

  @Test
  void replacingMapsInjectsTheStoredProbabilities() {
    try (PointerScope scope = new PointerScope();
        AttentionStore source = AttentionStore.allCrossLayers();
        AttentionStore seen = AttentionStore.allCrossLayers();
        AttentionStore own = AttentionStore.allCrossLayers()) {
      Tensor z = torch.randn(1, 4, 16, 16);
      Conditioning a = Conditioning.shared(torch.randn(1, 77, 16));
      Conditioning b = Conditioning.shared(torch.randn(1, 77, 16));
      Tensor epsA = unet.forward(z, 501, a, source);
      Tensor epsB = unet.forward(z, 501, b, own);
      Tensor replaced = unet.forward(z, 501, b, new AttentionReplace(source.maps(), seen));
      for (int i = 0; i < unet.crossAttentionLayers().size(); i++) {
        assertThat(Golden.maxAbs(seen.maps().get(i), source.maps().get(i))).as("layer %d sees A's maps", i).isZero();
      }
      assertThat(Golden.maxAbs(replaced, epsB)).as("replacement changes the prediction").isGreaterThan(1e-4);
      assertThat(Golden.maxAbs(replaced, epsA)).as("B's values are still used").isGreaterThan(1e-4);
      // replacing B's maps by B's own maps is the identity
      Tensor identity = unet.forward(z, 501, b, new AttentionReplace(own.maps(), null));
      assertThat(Golden.maxAbs(identity, epsB)).isLessThan(1e-5);
    }
  }

  @Test
  void selfAttentionKeysAndValuesCanBeReplaced() {
    try (PointerScope scope = new PointerScope()) {
      Tensor z = torch.randn(1, 4, 16, 16);
      Conditioning c = Conditioning.shared(torch.randn(1, 77, 16));
      Tensor plain = unet.forward(z, 101, c);
      AttentionControl zeroValues = new AttentionControl() {
        @Override
        public Tensor[] onSelfAttentionKeyValue(AttentionSite site, Tensor k, Tensor v) {
          return site.downsampling() == 0 ? new Tensor[] {k, torch.zeros_like(v)} : null;
        }
      };
      assertThat(Golden.maxAbs(unet.forward(z, 101, c, zeroValues), plain)).isGreaterThan(1e-4);
    }
  }
}
