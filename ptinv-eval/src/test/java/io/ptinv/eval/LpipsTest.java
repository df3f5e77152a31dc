package io.ptinv.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ptinv.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LPIPS (SqueezeNet 1.1) against PnPInversion's outputs on random-weight networks of the real architecture. */
class LpipsTest {
  static GoldenMetrics golden;
  static Lpips lpips;

  @BeforeAll
  static void load() {
    golden = new GoldenMetrics();
    lpips = Lpips.load(golden.dir.resolve("weights/lpips-squeeze.safetensors"));
  }

  @AfterAll
  static void close() {
    lpips.close();
    golden.close();
  }

  @Test
  void theSevenTermsAndTheirSumMatchOnEveryPart() {
    double[] tLayers = golden.tolerance("*.lpips*.layers");
    double[] tSum = golden.tolerance("lpips");
    double worst = 0;
    for (String p : new String[] {"p0", "p1", "p2", "p3"}) {
      EvalImage src = golden.image(p + ".src");
      EvalImage tgt = golden.image(p + ".tgt");
      boolean[][] parts = golden.parts(p);
      String[] layerKey = {".lpips.layers", ".lpips_unedit.layers", ".lpips_edit.layers"};
      String[] outKey = {"lpips", "lpips_unedit_part", "lpips_edit_part"};
      for (int k = 0; k < 3; k++) {
        double[] ours = lpips.layers(src, tgt, parts[k]);
        double[] ref = golden.values(p + layerKey[k]);
        for (int i = 0; i < 7; i++) {
          assertThat(Math.abs(ours[i] - ref[i])).as("%s%s[%d]: ours %s, reference %s", p, layerKey[k], i, ours[i], ref[i])
              .isLessThanOrEqualTo(tLayers[0] + tLayers[1] * Math.abs(ref[i]));
        }
        double sum = lpips.distance(src, tgt, parts[k]).value();
        double refSum = golden.scalar(p + ".out." + outKey[k]);
        worst = Math.max(worst, Math.abs(sum - refSum));
        assertThat(Math.abs(sum - refSum)).as("%s %s: ours %s, reference %s", p, outKey[k], sum, refSum)
            .isLessThanOrEqualTo(tSum[0] + tSum[1] * Math.abs(refSum));
      }
    }
    System.out.printf("LPIPS largest |diff| %.2e%n", worst);
  }

  @Test
  void identicalPartsAreZeroAndEmptyPartsAreNotComputed() {
    EvalImage src = golden.image("p2.src");
    assertThat(lpips.distance(src, src, null).value()).isZero();
    assertThat(lpips.distance(src, golden.image("p2.tgt"), new boolean[src.pixels()]).toString()).isEqualTo("nan");
  }

  @Test
  void weightsWithoutTheLinLayersAreRejectedByName(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("clip.safetensors");
    Files.copy(golden.dir.resolve("weights/clip.safetensors"), bad);
    assertThatThrownBy(() -> Lpips.load(bad)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("cannot load LPIPS").hasMessageContaining("57 missing").hasMessageContaining("features.0.weight [64, 3, 3, 3]");
  }
}
