package io.ptinv.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ptinv.InvalidInputException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Masks, PSNR, MSE and SSIM against the outputs of PnPInversion's own evaluation code (golden-metrics set A). */
class PixelMetricsTest {
  static GoldenMetrics golden;
  static final String[] PAIRS = {"p0", "p1", "p2", "p3"};

  @BeforeAll
  static void open() {
    golden = new GoldenMetrics();
  }

  @AfterAll
  static void close() {
    golden.close();
  }

  @Test
  void rleMasksDecodeExactly() {
    for (String p : PAIRS) {
      JsonNode entry = golden.masks.get(p);
      long[] rle = new long[entry.get("rle").size()];
      for (int i = 0; i < rle.length; i++) {
        rle[i] = entry.get("rle").get(i).asLong();
      }
      boolean[] ours = PieBenchMask.decode(rle, entry.get("shape").get(0).asInt(), entry.get("shape").get(1).asInt());
      assertThat(ours).as("mask of %s", p).isEqualTo(golden.mask(p));
    }
  }

  private static void assertClose(String what, Score ours, double ref, double[] tol) {
    assertThat(ours.computed()).as(what).isTrue();
    if (Double.isInfinite(ref)) {
      assertThat(ours.value()).as(what).isEqualTo(ref);
      return;
    }
    System.out.printf("%-28s ours %.9g reference %.9g |diff| %.2e%n", what, ours.value(), ref, Math.abs(ours.value() - ref));
    assertThat(Math.abs(ours.value() - ref)).as("%s: ours %s, reference %s", what, ours.value(), ref)
        .isLessThanOrEqualTo(tol[0] + tol[1] * Math.abs(ref));
  }

  @Test
  void psnrMseSsimMatchTheReferenceOnEveryPart() {
    double[] tPsnr = golden.tolerance("psnr");
    double[] tMse = golden.tolerance("mse");
    double[] tSsim = golden.tolerance("ssim");
    for (String p : PAIRS) {
      EvalImage src = golden.image(p + ".src");
      EvalImage tgt = golden.image(p + ".tgt");
      boolean[][] parts = golden.parts(p);
      String[] suffix = {"", "_unedit_part", "_edit_part"};
      for (int k = 0; k < 3; k++) {
        String out = p + ".out.";
        assertClose(p + " psnr" + suffix[k], PixelMetrics.psnr(src, tgt, parts[k], MaskConvention.PIE_BENCH),
            golden.scalar(out + "psnr" + suffix[k]), tPsnr);
        assertClose(p + " mse" + suffix[k], PixelMetrics.mse(src, tgt, parts[k], MaskConvention.PIE_BENCH),
            golden.scalar(out + "mse" + suffix[k]), tMse);
        assertClose(p + " ssim" + suffix[k], PixelMetrics.ssim(src, tgt, parts[k], MaskConvention.PIE_BENCH),
            golden.scalar(out + "ssim" + suffix[k]), tSsim);
      }
    }
  }

  /** p4: the target equals the source outside p0's mask. */
  @Test
  void anIdenticalBackgroundIsInfinitePsnrAndZeroMse() {
    EvalImage src = golden.image("p0.src");
    EvalImage edited = golden.image("p0.tgt");
    boolean[] mask = golden.mask("p0");
    float[] v = src.values().clone();
    int plane = src.pixels();
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        if (mask[i]) {
          v[c * plane + i] = edited.values()[c * plane + i];
        }
      }
    }
    EvalImage tgt = new EvalImage(src.height(), src.width(), v);
    boolean[] unedited = PieBenchMask.invert(mask);
    assertThat(PixelMetrics.psnr(src, tgt, unedited, MaskConvention.PIE_BENCH).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(PixelMetrics.psnr(src, tgt, unedited, MaskConvention.PIE_BENCH).toString()).isEqualTo("inf");
    assertThat(PixelMetrics.mse(src, tgt, unedited, MaskConvention.PIE_BENCH).value()).isZero();
    assertThat(golden.scalar("p4.out.mse_unedit_part")).isZero();
    assertClose("p4 ssim_unedit_part", PixelMetrics.ssim(src, tgt, unedited, MaskConvention.PIE_BENCH),
        golden.scalar("p4.out.ssim_unedit_part"), golden.tolerance("ssim"));
  }

  @Test
  void anEmptyPartIsNotComputedAndPrintsNan() {
    EvalImage a = golden.image("p2.src");
    boolean[] everything = new boolean[a.pixels()];
    Arrays.fill(everything, true);
    boolean[] nothing = PieBenchMask.invert(everything);
    for (MaskConvention c : MaskConvention.values()) {
      Score s = PixelMetrics.psnr(a, golden.image("p2.tgt"), nothing, c);
      assertThat(s.computed()).isFalse();
      assertThat(s.toString()).isEqualTo("nan");
      assertThat(PixelMetrics.ssim(a, golden.image("p2.tgt"), nothing, c).computed()).isFalse();
    }
  }

  /** The true masked mean, against a closed form on a constant-difference image. */
  @Test
  void maskedMeanCountsOnlyThePixelsInside() {
    int h = 16;
    int w = 16;
    float[] a = new float[3 * h * w];
    float[] b = new float[3 * h * w];
    boolean[] region = new boolean[h * w];
    for (int i = 0; i < h * w; i++) {
      region[i] = i % w < 4; // 4 of 16 columns
      for (int c = 0; c < 3; c++) {
        b[c * h * w + i] = region[i] ? 0.1f : 0.3f;
      }
    }
    EvalImage x = new EvalImage(h, w, a);
    EvalImage y = new EvalImage(h, w, b);
    double inside = (double) 0.1f * 0.1f;
    assertThat(PixelMetrics.mse(x, y, region, MaskConvention.MASKED_MEAN).value()).isCloseTo(inside,
        org.assertj.core.data.Offset.offset(1e-12));
    // PIE-Bench's convention divides the same sum by all pixels: a quarter of it here
    assertThat(PixelMetrics.mse(x, y, region, MaskConvention.PIE_BENCH).value()).isCloseTo(inside / 4,
        org.assertj.core.data.Offset.offset(1e-12));
    assertThat(PixelMetrics.psnr(x, y, region, MaskConvention.MASKED_MEAN).value()).isCloseTo(-10 * Math.log10(inside),
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat(PixelMetrics.ssim(x, x, null, MaskConvention.MASKED_MEAN).value()).isCloseTo(1.0,
        org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void badInputIsNamed() {
    EvalImage a = golden.image("p2.src");
    EvalImage b = golden.image("p3.src");
    assertThatThrownBy(() -> PixelMetrics.mse(a, b, null, MaskConvention.PIE_BENCH))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("images: ");
    assertThatThrownBy(() -> PixelMetrics.mse(a, a, new boolean[3], MaskConvention.PIE_BENCH))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("mask: ");
    assertThatThrownBy(() -> PieBenchMask.decode(new long[] {1, 2, 3}, 4, 4))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("rle: ");
  }

  /** Closed forms on 8-bit images: a constant offset of 10 levels is MSE 100/255^2, PSNR 10 log10(255^2/100). */
  @Test
  void psnrAndSsimOnClosedForms() {
    java.awt.image.BufferedImage black = new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.image.BufferedImage grey = new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        grey.setRGB(x, y, 0x0a0a0a);
      }
    }
    EvalImage a = EvalImage.of(black);
    EvalImage b = EvalImage.of(grey);
    assertThat(PixelMetrics.psnr(a, b, null, MaskConvention.MASKED_MEAN).value())
        .isCloseTo(10 * Math.log10(65025 / 100.0), org.assertj.core.data.Offset.offset(1e-5));
    boolean[] one = new boolean[256];
    one[3] = true;
    assertThat(PixelMetrics.psnr(a, b, one, MaskConvention.MASKED_MEAN).value()).isCloseTo(28.13,
        org.assertj.core.data.Offset.offset(0.01));
    EvalImage shape = golden.image("p0.src");
    assertThat(PixelMetrics.ssim(shape, shape, null, MaskConvention.MASKED_MEAN).value()).isCloseTo(1.0,
        org.assertj.core.data.Offset.offset(1e-12));
    EvalImage flat = new EvalImage(shape.height(), shape.width(), new float[shape.values().length]);
    assertThat(PixelMetrics.ssim(shape, flat, null, MaskConvention.MASKED_MEAN).value()).isLessThan(0.5);
  }
}
