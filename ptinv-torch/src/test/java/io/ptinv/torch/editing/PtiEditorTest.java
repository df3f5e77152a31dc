package io.ptinv.torch.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ptinv.CancelledException;
import io.ptinv.EditOptions;
import io.ptinv.InvalidInputException;
import io.ptinv.InversionMethod;
import io.ptinv.InversionOptions;
import io.ptinv.ModelLoadException;
import io.ptinv.NumericalException;
import io.ptinv.ProgressListener;
import io.ptinv.Stage;
import io.ptinv.torch.LoadOptions;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.inversion.TorchTrajectory;
import io.ptinv.torch.inversion.TrajectoryFiles;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.testing.Golden;
import io.ptinv.torch.text.TruncationPolicy;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end behaviour of the editor on the golden tiny model (random weights: only the numbers matter). */
class PtiEditorTest {
  static StableDiffusion model;
  static PtiEditor editor;
  static final BufferedImage IMAGE = drawing();
  static final InversionOptions FAST = InversionOptions.builder().steps(6).build();
  @TempDir Path dir;

  @BeforeAll
  static void load() {
    model = StableDiffusion.load(Golden.tinyModel(), new LoadOptions(ComputeDevice.CPU, Precision.FP32, TruncationPolicy.REJECT, null));
    editor = new PtiEditor(model, true);
  }

  @AfterAll
  static void close() {
    editor.close();
  }

  static BufferedImage drawing() {
    BufferedImage img = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(40, 60, 200));
    g.fillRect(0, 0, 128, 128);
    g.setColor(new Color(220, 30, 30));
    g.fillOval(30, 34, 60, 56);
    g.dispose();
    return img;
  }

  static boolean samePixels(BufferedImage a, BufferedImage b) {
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        if (a.getRGB(x, y) != b.getRGB(x, y)) {
          return false;
        }
      }
    }
    return true;
  }

  @Test
  void etaZeroIsTheReconstructionAndEtaOneIsDdimEdit() {
    try (TorchTrajectory pti = editor.invert(IMAGE, "a red circle", FAST, ProgressListener.NONE);
        TorchTrajectory ddim = editor.invert(IMAGE, "a red circle", FAST.toBuilder().method(InversionMethod.DDIM).build(),
            ProgressListener.NONE)) {
      // eta = 0 with the same prompt reconstructs; the reconstruction is the same op sequence as the tuning loop
      List<BufferedImage> sweep = editor.edits(pti, "a green circle", List.of(0.0, 1.0), EditOptions.Interpolation.CONDITION,
          ProgressListener.NONE);
      assertThat(samePixels(sweep.get(0), editor.reconstruct(pti, ProgressListener.NONE))).isTrue();
      // eta = 1 samples with c* and the empty prompt's uncond, exactly as DDIM-Edit does
      BufferedImage ddimEdit = editor.edit(ddim, "a green circle", 1.0, ProgressListener.NONE);
      assertThat(samePixels(sweep.get(1), ddimEdit)).isTrue();
      assertThat(samePixels(sweep.get(0), sweep.get(1))).isFalse();
    }
  }

  @Test
  void trajectorySaveLoadEditIsBitIdentical() {
    Path file = dir.resolve("traj.safetensors");
    BufferedImage direct;
    try (TorchTrajectory t = editor.invert(IMAGE, "a red circle", FAST, ProgressListener.NONE)) {
      direct = editor.edit(t, "a green circle", 0.7, ProgressListener.NONE);
      TrajectoryFiles.save(t, file);
    }
    try (TorchTrajectory loaded = TrajectoryFiles.load(file, model)) {
      assertThat(loaded.options()).isEqualTo(FAST);
      assertThat(loaded.prompt()).isEqualTo("a red circle");
      assertThat(samePixels(editor.edit(loaded, "a green circle", 0.7, ProgressListener.NONE), direct)).isTrue();
    }
  }

  @Test
  void trajectoryFromAnotherModelOrCorruptIsATypedError() throws Exception {
    Path file = dir.resolve("traj.safetensors");
    try (TorchTrajectory t = editor.invert(IMAGE, "a red circle", InversionOptions.builder().steps(2).build(),
        ProgressListener.NONE)) {
      TrajectoryFiles.save(t, file);
    }
    try (StableDiffusion other = StableDiffusion.load(Golden.dir().resolve("tiny-sd.single-file.safetensors"),
        new LoadOptions(ComputeDevice.CPU, Precision.FP32, null, Golden.tinyModel()))) {
      assertThatThrownBy(() -> TrajectoryFiles.load(file, other))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("trajectory:")
          .hasMessageContaining("made with model " + model.modelId());
    }
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> TrajectoryFiles.load(file, model)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("traj.safetensors");
  }

  @Test
  void badInputsAreTypedErrors() {
    assertThatThrownBy(() -> editor.edit(IMAGE, "a red circle", 1.5))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("eta:");
    String tooLong = "red ".repeat(80);
    assertThatThrownBy(() -> editor.invert(IMAGE, tooLong, FAST, ProgressListener.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("prompt:").hasMessageContaining("has 80");
    BufferedImage odd = new BufferedImage(100, 90, BufferedImage.TYPE_INT_RGB);
    InversionOptions reject = FAST.toBuilder().sizePolicy(io.ptinv.image.SizePolicy.reject()).build();
    assertThatThrownBy(() -> editor.invert(odd, "a red circle", reject, ProgressListener.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("image:");
  }

  @Test
  void cancellationStopsWithinOneStep() {
    AtomicInteger tuneSteps = new AtomicInteger();
    ProgressListener stopInTuning = e -> {
      if (e.stage() == Stage.TUNE) {
        tuneSteps.incrementAndGet();
        return e.step() < 2;
      }
      return true;
    };
    assertThatThrownBy(() -> editor.invert(IMAGE, "a red circle", FAST, stopInTuning))
        .isInstanceOf(CancelledException.class).hasMessageContaining("tune cancelled at step 2");
    assertThat(tuneSteps.get()).as("no callback after the one that cancelled").isEqualTo(3);
    // the editor is still usable afterwards
    try (TorchTrajectory t = editor.invert(IMAGE, "a red circle", InversionOptions.builder().steps(2).build(),
        ProgressListener.NONE)) {
      assertThat(t.steps()).isEqualTo(2);
    }
  }

  @Test
  void nanGuardNamesTheTimestepAndLeavesTheModelUsable() {
    InversionOptions exploding = FAST.toBuilder().optimizer(io.ptinv.OptimizerKind.SGD).learningRate(1e30).build();
    assertThatThrownBy(() -> editor.invert(IMAGE, "a red circle", exploding, ProgressListener.NONE))
        .isInstanceOf(NumericalException.class).hasMessageContaining("timestep");
    try (TorchTrajectory t = editor.invert(IMAGE, "a red circle", InversionOptions.builder().steps(2).build(),
        ProgressListener.NONE)) {
      for (float v : t.latent(2).values()) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    }
  }

  @Test
  void concurrentEditsEqualSequentialOnes() throws Exception {
    List<Double> etas = List.of(0.3, 0.6, 0.9, 1.0);
    List<BufferedImage> sequential = new ArrayList<>();
    try (TorchTrajectory t = editor.invert(IMAGE, "a red circle", InversionOptions.builder().steps(3).build(),
        ProgressListener.NONE)) {
      for (double eta : etas) {
        sequential.add(editor.edit(t, "a blue circle", eta, ProgressListener.NONE));
      }
      List<Thread> threads = new ArrayList<>();
      BufferedImage[][] results = new BufferedImage[4][etas.size()];
      for (int k = 0; k < 4; k++) {
        int thread = k;
        threads.add(new Thread(() -> {
          for (int e = 0; e < etas.size(); e++) {
            int idx = (e + thread) % etas.size();
            results[thread][idx] = editor.edit(t, "a blue circle", etas.get(idx), ProgressListener.NONE);
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread th : threads) {
        th.join();
      }
      for (int k = 0; k < 4; k++) {
        for (int e = 0; e < etas.size(); e++) {
          assertThat(samePixels(results[k][e], sequential.get(e))).as("thread %d eta %s", k, etas.get(e)).isTrue();
        }
      }
    }
  }
}
