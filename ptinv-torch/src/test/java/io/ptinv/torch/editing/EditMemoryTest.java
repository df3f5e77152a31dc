package io.ptinv.torch.editing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.EditOptions;
import io.ptinv.torch.LoadOptions;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.NativeMemory;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.testing.Golden;
import org.junit.jupiter.api.Test;

/** 50 consecutive edits (invert + tune + edit + decode) in one JVM leave native memory flat. */
class EditMemoryTest {

  @Test
  void fiftyEditsStayFlat() {
    try (PtiEditor editor = new PtiEditor(StableDiffusion.load(Golden.tinyModel(),
        new LoadOptions(ComputeDevice.CPU, Precision.FP32, null, null)), true)) {
      EditOptions options = EditOptions.builder().steps(2).innerSteps(2).eta(0.8).build();
      for (int i = 0; i < 5; i++) {
        editor.edit(PtiEditorTest.drawing(), "a red circle", options); // warm-up
      }
      long[] rss = new long[50];
      for (int i = 0; i < rss.length; i++) {
        editor.edit(PtiEditorTest.drawing(), "a red circle", options);
        System.gc(); // the Java heap's touched pages otherwise creep into the reading
        rss[i] = NativeMemory.anonymousResidentBytes();
      }
      // medians of the first and last ten edits: a leak of one trajectory per edit (~0.1 MB of latents and
      // embeddings, plus activations) would add several MB over 40 edits; noise is the allocator's
      // (anonymous memory after a collection and malloc_trim, see NativeMemory.anonymousResidentBytes).
      long growth = median(rss, 40) - median(rss, 0);
      System.out.printf("anonymous RSS after edit 10: %.1f MB, after edit 50: %.1f MB, growth %.1f MB%n",
          rss[9] / 1e6, rss[49] / 1e6, growth / 1e6);
      assertThat(growth).as("RSS growth over 40 edits, bytes").isLessThan(24L << 20);
    }
  }

  private static long median(long[] v, int from) {
    long[] part = java.util.Arrays.copyOfRange(v, from, from + 10);
    java.util.Arrays.sort(part);
    return part[5];
  }
}
