package io.ptinv.torch.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** Every tensor made inside a scoped call is released when the call ends: memory stays flat. */
class NativeMemoryTest {

  /** A tensor-heavy call: ~20 intermediate tensors of 256 KiB each, a scalar comes out. */
  private static double heavyCall(int i) {
    return Scopes.compute(() -> {
      Tensor a = torch.randn(256, 256);
      Tensor b = torch.randn(256, 256);
      Tensor c = torch.matmul(a, b).add(a).softmax(1);
      for (int k = 0; k < 5; k++) {
        c = c.mul(b).add(a).sigmoid();
      }
      return c.sum().item_double() + i;
    });
  }

  @Test
  void thousandScopedCallsKeepResidentMemoryFlat() {
    Torch.ensureLoaded();
    for (int i = 0; i < 100; i++) {
      heavyCall(i); // warm-up: allocator pools, thread pools, JIT
    }
    long before = NativeMemory.residentBytes();
    for (int i = 0; i < 1000; i++) {
      heavyCall(i);
    }
    long after = NativeMemory.residentBytes();
    // Each call allocates ~5 MiB; without the scope 1000 calls would hold ~5 GiB. Allow 64 MiB of noise.
    assertThat(after - before).as("RSS growth over 1000 calls, bytes").isLessThan(64L << 20);
  }

  @Test
  void returningHandsTheResultToTheOuterScope() {
    try (org.bytedeco.javacpp.PointerScope outer = new org.bytedeco.javacpp.PointerScope()) {
      Tensor result = Scopes.returning(() -> torch.ones(3).mul(new org.bytedeco.pytorch.Scalar(2.0)));
      // the inner scope is closed, but the result is alive and readable
      assertThat(Tensors.toFloats(result)).containsExactly(2f, 2f, 2f);
    }
  }

  @Test
  void keptTensorsOutliveTheirScope() {
    Tensor kept;
    try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
      kept = Scopes.keep(torch.ones(4));
    }
    assertThat(Tensors.toFloats(kept)).containsExactly(1f, 1f, 1f, 1f);
    Scopes.release(kept);
  }
}
