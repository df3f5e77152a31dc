package io.ptinv.examples.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.EditOptions;
import io.ptinv.InversionMethod;
import io.ptinv.InversionOptions;
import io.ptinv.ProgressListener;
import io.ptinv.examples.bench.Masks;
import io.ptinv.image.Images;
import io.ptinv.torch.LoadOptions;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.editing.PtiEditor;
import io.ptinv.torch.inversion.TorchTrajectory;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.io.ModelDefaults;
import io.ptinv.torch.sampling.InitialNoise;
import io.ptinv.torch.sampling.TextToImage;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped shapes model: loads like SD, generates what captions say, and PTI edits it for real. */
class ShippedModelTest {
  static final Path HOME = Path.of(System.getProperty("ptinv.home", ".."));
  static PtiEditor editor;
  static final double MIN_UNCHANGED_PSNR = 25;

  @BeforeAll
  static void load() {
    editor = new PtiEditor(StableDiffusion.load(HOME.resolve("models/shapes"),
        new LoadOptions(ComputeDevice.CPU, Precision.FP32, null, null)), true);
  }

  @AfterAll
  static void close() {
    editor.close();
  }

  @Test
  void loadsThroughTheNormalLoader() {
    StableDiffusion sd = editor.model();
    assertThat(sd.nativeResolution()).isEqualTo(64);
    assertThat(sd.vae().config().downsamplingFactor()).isEqualTo(4);
    assertThat(sd.tokenizer().encode("a red circle on a blue background")[1]).isEqualTo(320); // "a</w>"
  }

  /**
   * Generated images follow their captions, from the starting noise the model's ptinv.json recommends
   * (centred). Chance is 1/8 for each colour and 1/4 for the shape: about 4 of 24 attributes. Measured with
   * this model on 100 captions (MODEL_CARD.md): colour 99%, shape 96%, background 97%, all three 94% —
   * about 23.5 of 24 expected here; at least 21 leaves a margin and fails for a model that follows its
   * text only loosely.
   */
  @Test
  void seededCaptionsGenerateWhatTheySay() {
    String recommended = ModelDefaults.of(HOME.resolve("models/shapes")).initialNoise();
    assertThat(recommended).isEqualTo("centered");
    ShapesDataset captions = new ShapesDataset(4242);
    int attributes = 0;
    int n = 8;
    for (int i = 0; i < n; i++) {
      ShapeSample s = captions.sample(i);
      BufferedImage img = TextToImage.generate(editor.model(), s.caption(), "", 50, 7.5, i, 64, 64,
          InitialNoise.CENTERED, ProgressListener.NONE);
      ShapeAnalyzer.Analysis a = ShapeAnalyzer.analyze(img);
      attributes += (a.color() == s.color() ? 1 : 0) + (a.shape() == s.shape() ? 1 : 0) + (a.background() == s.background() ? 1 : 0);
    }
    assertThat(attributes).as("attributes matching their seeded captions, of %d", 3 * n).isGreaterThanOrEqualTo(21);
  }

  @Test
  void ptiEditChangesTheColourAndKeepsTheRest() {
    BufferedImage input = Images.read(HOME.resolve("docs/examples/red-circle.png"));
    // eta 0.5: on this image, with 2 threads (1 thread), the blended edit keeps 29.06 (29.31) dB outside the
    // circle and the unblended one 21.71 (21.80) dB. At the recommended eta 0.7 the blended edit sits at
    // 24.96 (25.10) dB, on the 25 dB bound, so float round-off between thread counts decided the outcome;
    // without blending this model draws a dark frame along the border at eta >= 0.6 (MODEL_CARD.md).
    BufferedImage blended = editor.edit(input, "a green circle on a blue background",
        EditOptions.builder().steps(50).eta(0.5).localBlend(java.util.List.of("green", "circle")).build());
    assertThat(ShapeAnalyzer.analyze(blended).color()).as("colour after the edit").isEqualTo(Palette.GREEN);
    double with = unchangedPsnr(input, blended);
    assertThat(with).as("PSNR of the region that should not change").isGreaterThanOrEqualTo(MIN_UNCHANGED_PSNR);
    double without = unchangedPsnr(input, editor.edit(input, "a green circle on a blue background",
        EditOptions.builder().steps(50).eta(0.5).build()));
    assertThat(with).as("local blending keeps more of the unedited region (%.2f dB without)", without).isGreaterThan(without + 1);
  }

  /** PSNR outside the (dilated) union of the input's and the edit's shapes. */
  private static double unchangedPsnr(BufferedImage input, BufferedImage out) {
    boolean[] outside = Masks.outsideBoth(ShapeAnalyzer.analyze(input).mask(), ShapeAnalyzer.analyze(out).mask(),
        out.getWidth(), out.getHeight(), 2);
    return psnr(input, out, outside);
  }

  @Test
  void ptiReconstructsBetterThanDdimAndEtaZeroIsTheReconstruction() {
    BufferedImage input = Images.read(HOME.resolve("docs/examples/red-circle.png"));
    InversionOptions base = InversionOptions.builder().steps(25).guidanceScale(7.5).build();
    String caption = "a red circle on a blue background";
    double pti;
    double ddim;
    try (TorchTrajectory t = editor.invert(input, caption, base, ProgressListener.NONE)) {
      BufferedImage rec = editor.reconstruct(t, ProgressListener.NONE);
      pti = psnr(input, rec, null);
      BufferedImage etaZero = editor.edit(t, "a green circle on a blue background", 0.0, ProgressListener.NONE);
      assertThat(psnr(rec, etaZero, null)).as("eta = 0 is the reconstruction").isEqualTo(Double.POSITIVE_INFINITY);
    }
    try (TorchTrajectory t = editor.invert(input, caption, base.toBuilder().method(InversionMethod.DDIM).build(),
        ProgressListener.NONE)) {
      ddim = psnr(input, editor.reconstruct(t, ProgressListener.NONE), null);
    }
    assertThat(pti).as("PTI reconstruction PSNR vs DDIM's %.2f dB", ddim).isGreaterThan(ddim + 2);
  }

  /** PSNR over {@code region} (null: all), the evaluation module's true masked mean. */
  private static double psnr(BufferedImage a, BufferedImage b, boolean[] region) {
    return io.ptinv.eval.PixelMetrics.psnr(io.ptinv.eval.EvalImage.of(a), io.ptinv.eval.EvalImage.of(b), region,
        io.ptinv.eval.MaskConvention.MASKED_MEAN).value();
  }
}
