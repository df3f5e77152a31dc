package io.ptinv.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DINO structure distance step by step against PnPInversion's evaluation (random-weight ViT/8). */
class DinoStructureDistanceTest {
  static GoldenMetrics golden;
  static DinoStructureDistance dino;

  @BeforeAll
  static void load() {
    golden = new GoldenMetrics();
    dino = DinoStructureDistance.load(golden.dir.resolve("weights/dino.safetensors"),
        golden.dir.resolve("weights/dino-config.json"));
  }

  @AfterAll
  static void close() {
    dino.close();
    golden.close();
  }

  @Test
  void inputKeysAndSimilarityMatch() {
    double[] tIn = golden.tolerance("*.sd.input_src_rows0_8");
    double[] tKeys = golden.tolerance("*.sd.keys_src");
    double[] tSim = golden.tolerance("*.sd.sim_");
    for (String p : new String[] {"p0", "p2"}) {
      for (String side : new String[] {"src", "tgt"}) {
        DinoStructureDistance.Details d = dino.details(golden.image(p + "." + side), null);
        long[] shape = golden.shape(p + ".sd.keys_" + side); // [heads, N, hd]
        int heads = (int) shape[0];
        int n = (int) shape[1];
        int hd = (int) shape[2];
        assertThat(d.tokens()).isEqualTo(n);
        double[] keys = golden.values(p + ".sd.keys_" + side);
        for (int hh = 0; hh < heads; hh++) {
          for (int t = 0; t < n; t++) {
            for (int j = 0; j < hd; j++) {
              GoldenMetrics.assertWithin(p + " keys " + side, d.keys()[t * heads * hd + hh * hd + j], keys[(hh * n + t) * hd + j], tKeys);
            }
          }
        }
        double[] sim = golden.values(p + ".sd.sim_" + side + "_rows0_16");
        for (int i = 0; i < sim.length; i++) {
          GoldenMetrics.assertWithin(p + " sim " + side + " " + i, d.similarity()[i], sim[i], tSim);
        }
        if (golden.tensors.contains(p + ".sd.input_" + side + "_rows0_8")) {
          long[] s = golden.shape(p + ".sd.input_" + side + "_rows0_8"); // [1, 3, 8, W']
          assertThat(d.inputShape()).containsExactly(1, 3, d.inputShape()[2], s[3]);
          double[] in = golden.values(p + ".sd.input_" + side + "_rows0_8");
          int wp = (int) s[3];
          int hp = (int) d.inputShape()[2];
          for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 8 * wp; i++) {
              GoldenMetrics.assertWithin(p + " input " + c, d.input()[c * hp * wp + i], in[c * 8 * wp + i], tIn);
            }
          }
        }
      }
    }
  }

  @Test
  void distancesMatchOnEveryPart() {
    double[] tol = golden.tolerance("structure_distance");
    double worst = 0;
    for (String p : new String[] {"p0", "p1", "p2", "p3"}) {
      EvalImage src = golden.image(p + ".src");
      EvalImage tgt = golden.image(p + ".tgt");
      boolean[][] parts = golden.parts(p);
      String[] names = {"structure_distance", "structure_distance_unedit_part", "structure_distance_edit_part"};
      for (int k = 0; k < 3; k++) {
        double ours = dino.distance(src, tgt, parts[k]).value();
        double ref = golden.scalar(p + ".out." + names[k]);
        GoldenMetrics.assertWithin(p + " " + names[k], ours, ref, tol);
        worst = Math.max(worst, Math.abs(ours - ref));
      }
    }
    System.out.printf("structure distance largest |diff| %.2e%n", worst);
    EvalImage same = golden.image("p3.src");
    assertThat(dino.distance(same, same, null).value()).isZero();
    assertThat(dino.distance(same, same, new boolean[same.pixels()]).computed()).isFalse();
  }
}
