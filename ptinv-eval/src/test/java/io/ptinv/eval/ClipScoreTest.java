package io.ptinv.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CLIP score step by step against PnPInversion's evaluation (random-weight CLIP of ViT-L/14's structure): token ids,
 * Pillow-bicubic resize + crop (exact), normalised pixels, embeddings, raw score, clamped score; plus the long-prompt
 * (truncated, pooled at BOS) and clamped cases.
 */
class ClipScoreTest {
  static GoldenMetrics golden;
  static ClipScore clip;
  static JsonNode metrics;

  @BeforeAll
  static void load() throws IOException {
    golden = new GoldenMetrics();
    clip = ClipScore.load(golden.dir.resolve("weights/clip.safetensors"), golden.dir.resolve("weights/clip-config.json"),
        golden.dir.resolve("weights/clip-preprocessor-config.json"));
    metrics = new ObjectMapper().readTree(golden.dir.resolve("metrics.json").toFile());
  }

  @AfterAll
  static void close() {
    clip.close();
    golden.close();
  }

  /** {@code <p>.src}/{@code .tgt} as bytes, optionally multiplied by the mask. */
  private static byte[] bytes(String key, boolean[] mask) {
    double[] v = golden.values(key);
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = mask == null || mask[i / 3] ? (byte) (int) v[i] : 0;
    }
    return out;
  }

  private static void closeAll(String what, float[] ours, double[] ref, double[] tol) {
    assertThat(ours.length).as(what).isEqualTo(ref.length);
    for (int i = 0; i < ref.length; i++) {
      GoldenMetrics.assertWithin(what + "[" + i + "]", ours[i], ref[i], tol);
    }
  }

  @Test
  void everyIntermediateAndScoreMatches() {
    double[] tEmb = golden.tolerance("*.clip_*.image_embeds");
    double[] tScore = golden.tolerance("clip_similarity");
    double[] tPix = golden.tolerance("*.clip_*.pixel_values_rows0_8");
    double worst = 0;
    for (String p : new String[] {"p0", "p1", "p2", "p3"}) {
      long[] s = golden.shape(p + ".src");
      int h = (int) s[0];
      int w = (int) s[1];
      JsonNode pair = metrics.path("pairs").path(p);
      String[][] calls = {{"clip_src", p + ".src", "src_prompt", "clip_similarity_source_image"},
          {"clip_tgt", p + ".tgt", "tgt_prompt", "clip_similarity_target_image"},
          {"clip_tgt_edit", p + ".tgt", "tgt_prompt", "clip_similarity_target_image_edit_part"}};
      for (String[] call : calls) {
        String key = p + "." + call[0];
        boolean[] mask = call[0].equals("clip_tgt_edit") ? golden.mask(p) : null;
        ClipScore.Details d = clip.details(bytes(call[1], mask), h, w, pair.path(call[2]).asText());
        double[] ids = golden.values(key + ".input_ids");
        assertThat(d.inputIds()).as(key + " ids").hasSize(ids.length);
        for (int i = 0; i < ids.length; i++) {
          assertThat(d.inputIds()[i]).as(key + " id %d", i).isEqualTo((long) ids[i]);
        }
        if (golden.tensors.contains(key + ".resized_crop_u8")) {
          double[] crop = golden.values(key + ".resized_crop_u8");
          for (int i = 0; i < crop.length; i++) {
            assertThat(d.resizedCrop()[i] & 0xFF).as("%s resized crop byte %d", key, i).isEqualTo((int) crop[i]);
          }
        }
        if (golden.tensors.contains(key + ".pixel_values_rows0_8")) {
          double[] rows = golden.values(key + ".pixel_values_rows0_8"); // [1, 3, 8, 224]
          float[] ours = new float[rows.length];
          for (int c = 0; c < 3; c++) {
            System.arraycopy(d.pixelValues(), c * 224 * 224, ours, c * 8 * 224, 8 * 224);
          }
          closeAll(key + " pixel values", ours, rows, tPix);
        }
        closeAll(key + " image embeds", d.imageEmbeds(), golden.values(key + ".image_embeds"), tEmb);
        closeAll(key + " text embeds", d.textEmbeds(), golden.values(key + ".text_embeds"), tEmb);
        GoldenMetrics.assertWithin(key + " raw score", d.rawScore(), golden.scalar(key + ".raw_score"), tScore);
        double ref = golden.scalar(p + ".out." + call[3]);
        GoldenMetrics.assertWithin(key + " score", d.score().value(), ref, tScore);
        worst = Math.max(worst, Math.abs(d.score().value() - ref));
      }
    }
    System.out.printf("CLIP score largest |diff| %.2e%n", worst);
  }

  @Test
  void aLongPromptIsCutTo77IdsAndPooledAtBos() {
    JsonNode e = metrics.path("extra").path("clip_long_prompt");
    long[] s = golden.shape("p0.src");
    ClipScore.Details d = clip.details(bytes("p0.src", null), (int) s[0], (int) s[1], e.path("prompt").asText());
    assertThat(d.inputIds()).hasSize(77);
    for (int i = 0; i < 77; i++) {
      assertThat(d.inputIds()[i]).isEqualTo(e.path("ids_truncated").get(i).asLong());
    }
    GoldenMetrics.assertWithin("long prompt", d.score().value(), golden.scalar("extra.clip_long_prompt.out"), golden.tolerance("clip_similarity"));
  }

  @Test
  void aNegativeCosineGivesExactlyZero() {
    JsonNode e = metrics.path("extra").path("clip_clamped");
    long[] s = golden.shape("p1.tgt");
    ClipScore.Details d = clip.details(bytes("p1.tgt", null), (int) s[0], (int) s[1], e.path("prompt").asText());
    GoldenMetrics.assertWithin("raw", d.rawScore(), golden.scalar("extra.clip_clamped.raw_score"), golden.tolerance("clip_similarity"));
    assertThat(d.rawScore()).isNegative();
    assertThat(d.score().value()).isZero();
  }
}
