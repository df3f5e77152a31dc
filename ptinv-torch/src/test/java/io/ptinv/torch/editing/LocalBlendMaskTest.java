package io.ptinv.torch.editing;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** The blend mask marks where a word's attention stands out, also above a floor of diffuse attention. */
class LocalBlendMaskTest {
  @Test
  void aDiffuseFloorDoesNotSelectTheWholeImage() {
    try (PointerScope scope = new PointerScope()) {
      // a floor of 0.5 everywhere, 0.9 and 1.0 on two cells, 0.55 on one (just above the floor)
      float[] m = new float[16];
      java.util.Arrays.fill(m, 0.5f);
      m[5] = 1.0f;
      m[6] = 0.9f;
      m[12] = 0.55f;
      Tensor mask = LocalBlend.threshold(Tensor.create(m, 1, 1, 4, 4), 0.3);
      float[] out = new float[16];
      mask.contiguous().data_ptr_float().get(out);
      float[] expected = new float[16];
      expected[5] = 1;
      expected[6] = 1; // (0.9 - 0.5) / 0.5 = 0.8 > 0.3; (0.55 - 0.5) / 0.5 = 0.1 is not
      assertThat(out).containsExactly(expected);
    }
  }

  @Test
  void aMapWithAZeroFloorIsThresholdedAgainstItsMaximumAsInPromptToPrompt() {
    try (PointerScope scope = new PointerScope()) {
      float[] m = {0, 0.2f, 0.4f, 1.0f};
      float[] out = new float[4];
      LocalBlend.threshold(Tensor.create(m, 1, 1, 2, 2), 0.3).contiguous().data_ptr_float().get(out);
      assertThat(out).containsExactly(0, 0, 1, 1);
    }
  }
}
