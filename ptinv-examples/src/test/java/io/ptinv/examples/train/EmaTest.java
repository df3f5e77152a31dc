package io.ptinv.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** The moving average follows its closed form and owns copies, not views, of the weights. */
class EmaTest {
  @Test
  void updatesFollowTheClosedForm() {
    try (PointerScope scope = new PointerScope()) {
      Tensor w = Tensor.create(new float[] {1, 2}, 2);
      try (Ema ema = new Ema(Map.of("w", w), 0.9)) {
        w.copy_(Tensor.create(new float[] {3, 6}, 2));
        assertThat(values(ema.weights().get("w"))).as("a copy at construction").containsExactly(1f, 2f);
        ema.update(Map.of("w", w));
        ema.update(Map.of("w", w));
        // s2 = 0.9^2 s0 + (1 - 0.9^2) w = 0.81 [1, 2] + 0.19 [3, 6]
        float[] s = values(ema.weights().get("w"));
        assertThat(s[0]).isCloseTo(1.38f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(s[1]).isCloseTo(2.76f, org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
  }

  @Test
  void rejectsADecayOutsideTheOpenUnitInterval() {
    try (PointerScope scope = new PointerScope()) {
      Tensor w = Tensor.create(new float[] {1}, 1);
      assertThatThrownBy(() -> new Ema(Map.of("w", w), 1.0)).hasMessageContaining("(0, 1)");
    }
  }

  static float[] values(Tensor t) {
    Tensor c = t.contiguous();
    float[] out = new float[(int) c.numel()];
    c.data_ptr_float().get(out);
    return out;
  }
}
