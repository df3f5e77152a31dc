package io.ptinv.torch.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ptinv.EditOptions;
import io.ptinv.InvalidInputException;
import io.ptinv.InversionOptions;
import io.ptinv.ProgressListener;
import io.ptinv.torch.LoadOptions;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.inversion.TorchTrajectory;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.runtime.Tensors;
import io.ptinv.torch.sampling.StageProgress;
import io.ptinv.torch.testing.Golden;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Local blending keeps the unmasked latent on the reconstruction; re-weighting changes only what it should. */
class AttentionEditingTest {
  static PtiEditor editor;
  static TorchTrajectory trajectory;
  static final String SOURCE = "a red circle on a blue background";
  static final String TARGET = "a green circle on a blue background";

  @BeforeAll
  static void invert() {
    editor = new PtiEditor(StableDiffusion.load(Golden.tinyModel(), new LoadOptions(ComputeDevice.CPU, Precision.FP32, null, null)), true);
    trajectory = editor.invert(PtiEditorTest.drawing(), SOURCE, InversionOptions.builder().steps(8).build(), ProgressListener.NONE);
  }

  @AfterAll
  static void close() {
    trajectory.close();
    editor.close();
  }

  private static float[] editLatent(EditOptions options) {
    StableDiffusion model = editor.model();
    try (PointerScope scope = new PointerScope()) {
      Tensor cStar = model.encodePrompt(TARGET);
      EditControls controls = EditControls.resolve(model, options, TARGET, SOURCE);
      Tensor z = EditSampler.sample(model, trajectory, cStar, options.eta(), options.interpolation(), controls,
          new StageProgress(ProgressListener.NONE));
      return Tensors.toFloats(z);
    }
  }

  private static float[] reconstruction() {
    return editLatent(EditOptions.builder().eta(0).build());
  }

  @Test
  void outsideTheMaskTheEditIsTheReconstruction() {
    float[] rec = reconstruction();
    float[] plain = editLatent(EditOptions.builder().eta(1.0).build());
    // random weights give diffuse maps: a high threshold keeps the mask to the strongest responses
    float[] blended = editLatent(EditOptions.builder().eta(1.0).localBlend(List.of("green", "circle")).blendThreshold(0.9).build());
    int kept = 0;
    int changed = 0;
    for (int i = 0; i < rec.length; i++) {
      if (blended[i] == rec[i]) {
        kept++;
      } else if (blended[i] != plain[i] || blended[i] != rec[i]) {
        changed++;
      }
    }
    assertThat(kept).as("latent values kept on the reconstruction (outside the mask)").isPositive();
    assertThat(changed).as("latent values edited (inside the mask)").isPositive();
    // a lower threshold gives a larger mask, so fewer values stay on the reconstruction
    float[] wide = editLatent(EditOptions.builder().eta(1.0).localBlend(List.of("green", "circle")).blendThreshold(0.05).build());
    int keptWide = 0;
    for (int i = 0; i < rec.length; i++) {
      if (wide[i] == rec[i]) {
        keptWide++;
      }
    }
    assertThat(keptWide).isLessThanOrEqualTo(kept);
  }

  @Test
  void reweightingByOneChangesNothingAndByZeroChangesTheEdit() {
    float[] plain = editLatent(EditOptions.builder().eta(0.9).build());
    float[] one = editLatent(EditOptions.builder().eta(0.9).reweight("green", 1.0).build());
    float[] otherOne = editLatent(EditOptions.builder().eta(0.9).reweight("circle", 1.0).build());
    float[] zero = editLatent(EditOptions.builder().eta(0.9).reweight("green", 0.0).build());
    assertThat(one).as("factor 1 on any word is the identity on the explicit attention path").containsExactly(otherOne);
    double diffOne = 0;
    double diffZero = 0;
    double scale = 0;
    for (int i = 0; i < plain.length; i++) {
      diffOne = Math.max(diffOne, Math.abs(one[i] - plain[i]));
      diffZero = Math.max(diffZero, Math.abs(zero[i] - plain[i]));
      scale = Math.max(scale, Math.abs(plain[i]));
    }
    assertThat(diffOne / scale).as("explicit vs fused attention, relative").isLessThan(1e-5);
    assertThat(diffZero / scale).as("factor 0 removes the word's attention").isGreaterThan(1e-3);
  }

  @Test
  void wordsMustBeInTheTargetPrompt() {
    assertThatThrownBy(() -> editLatent(EditOptions.builder().localBlend(List.of("purple")).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("localBlend:")
        .hasMessageContaining("'purple'");
    assertThatThrownBy(() -> EditOptions.builder().reweight("green", -1).build())
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("reweight:");
  }

  @Test
  void tokenPositionsFollowTheBpe() {
    var tok = editor.model().tokenizer();
    assertThat(TokenPositions.find(tok, SOURCE, "red")).containsExactly(2);
    assertThat(TokenPositions.find(tok, SOURCE, "blue background")).containsExactly(6, 7);
    assertThat(TokenPositions.find(tok, SOURCE, "green")).isEmpty();
  }
}
