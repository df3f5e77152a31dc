package io.ptinv.examples.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.torch.LoadOptions;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer learns, resumes exactly where it stopped, and writes a folder the normal loader reads. */
class ShapesTrainerTest {
  @TempDir Path dir;

  @Test
  void vaeLossFallsAndAResumedRunMatchesAnUninterruptedOne() {
    List<Double> straight = new ArrayList<>();
    try (ShapesTrainer t = new ShapesTrainer(dir.resolve("a"), 5, ComputeDevice.CPU)) {
      t.trainVae(0, 12, 2, 2e-3, 6, (p, s, n, loss) -> straight.add(loss));
    }
    assertThat(straight.get(11)).as("loss after 12 steps vs the first").isLessThan(straight.get(0));

    List<Double> resumed = new ArrayList<>();
    try (ShapesTrainer t = new ShapesTrainer(dir.resolve("b"), 5, ComputeDevice.CPU)) {
      t.trainVae(0, 12, 2, 2e-3, 6, (p, s, n, loss) -> {
        resumed.add(loss);
        return s < 6; // stop after 6 steps, as Ctrl-C would
      });
    }
    try (ShapesTrainer t = new ShapesTrainer(dir.resolve("b"), 5, ComputeDevice.CPU)) {
      Map<String, Object> state = t.resume();
      assertThat(state).containsEntry("phase", "vae").containsEntry("step", 6);
      t.trainVae(6, 12, 2, 2e-3, 6, (p, s, n, loss) -> resumed.add(loss));
    }
    assertThat(resumed).hasSize(12);
    for (int i = 0; i < 12; i++) {
      // weights, AdamW state, data and noise are all restored: the same losses, to float round-off
      assertThat(resumed.get(i)).as("step %d", i + 1).isCloseTo(straight.get(i), org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void diffusionStepsRunAndTheWrittenFolderLoads() {
    try (ShapesTrainer t = new ShapesTrainer(dir, 1, ComputeDevice.CPU)) {
      t.computeScalingFactor(4);
      List<Double> losses = new ArrayList<>();
      t.trainDiffusion(0, 3, 2, 1e-3, 10, (p, s, n, loss) -> losses.add(loss));
      assertThat(losses).hasSize(3).allMatch(l -> l > 0 && Double.isFinite(l));
      t.writeModel(dir.resolve("model"));
    }
    try (StableDiffusion sd = StableDiffusion.load(dir.resolve("model"), new LoadOptions(ComputeDevice.CPU, Precision.FP32, null, null))) {
      assertThat(sd.nativeResolution()).isEqualTo(64);
      assertThat(sd.vae().config().downsamplingFactor()).isEqualTo(4);
      assertThat(sd.unet().crossAttentionLayers()).hasSize(2 + 4 + 1);
    }
    // a new trainer started from the written folder continues from those (fp16-rounded) weights
    try (ShapesTrainer again = new ShapesTrainer(dir.resolve("again"), 99, ComputeDevice.CPU)) {
      again.initFrom(dir.resolve("model"));
      again.writeModel(dir.resolve("model2"));
    }
    for (String f : List.of("vae/diffusion_pytorch_model.safetensors", "text_encoder/model.safetensors",
        "unet/diffusion_pytorch_model.safetensors")) {
      try (io.ptinv.torch.io.SafeTensorsFile a = io.ptinv.torch.io.SafeTensorsFile.open(dir.resolve("model").resolve(f));
          io.ptinv.torch.io.SafeTensorsFile b = io.ptinv.torch.io.SafeTensorsFile.open(dir.resolve("model2").resolve(f))) {
        for (String key : a.entries().keySet()) {
          assertThat(b.bytes(key)).as("%s %s", f, key).isEqualTo(a.bytes(key));
        }
      }
    }
  }

  @Test
  void theWrittenUNetIsTheEmaAndAResumedEmaRunMatchesAnUninterruptedOne() {
    Map<String, float[]> straight;
    try (ShapesTrainer t = new ShapesTrainer(dir.resolve("a"), 3, ComputeDevice.CPU)) {
      t.computeScalingFactor(4);
      t.useEma(0.5);
      t.trainDiffusion(0, 4, 2, 1e-3, 100, (p, s, n, loss) -> true);
      straight = copy(t.emaWeights());
      t.writeModel(dir.resolve("a-model"));
    }
    try (ShapesTrainer t = new ShapesTrainer(dir.resolve("b"), 3, ComputeDevice.CPU)) {
      t.computeScalingFactor(4);
      t.useEma(0.5);
      t.trainDiffusion(0, 4, 2, 1e-3, 100, (p, s, n, loss) -> s < 2);
    }
    try (ShapesTrainer t = new ShapesTrainer(dir.resolve("b"), 3, ComputeDevice.CPU)) {
      assertThat(t.resume()).containsEntry("diffusion_step", 2);
      assertThat(t.diffusionStepsDone()).isEqualTo(2);
      t.useEma(0.5);
      t.trainDiffusion(2, 4, 2, 1e-3, 100, (p, s, n, loss) -> true);
      Map<String, float[]> resumed = copy(t.emaWeights());
      for (String k : straight.keySet()) {
        float[] a = straight.get(k);
        float[] b = resumed.get(k);
        for (int i = 0; i < a.length; i++) {
          assertThat(b[i]).as("%s[%d]", k, i).isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
    }
    // the folder holds the EMA weights (fp16), which differ from the last raw step's
    try (io.ptinv.torch.io.SafeTensorsFile f = io.ptinv.torch.io.SafeTensorsFile.open(
        dir.resolve("a-model/unet/diffusion_pytorch_model.safetensors"));
        org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
      String key = "conv_in.weight";
      float[] written = EmaTest.values(f.read(key).to(org.bytedeco.pytorch.global.torch.ScalarType.Float));
      float[] ema = straight.get("unet/" + key);
      for (int i = 0; i < written.length; i++) {
        assertThat(written[i]).isCloseTo(ema[i], org.assertj.core.data.Offset.offset(2e-3f * Math.max(1f, Math.abs(ema[i]))));
      }
    }
  }

  @Test
  void decoderFineTuningLowersTheLossAndLeavesTheEncoderAlone() {
    try (ShapesTrainer t = new ShapesTrainer(dir, 4, ComputeDevice.CPU)) {
      t.trainVae(0, 4, 2, 2e-3, 100, (p, s, n, loss) -> true);
      Map<String, float[]> before = copy(t.vaeWeights());
      List<Double> losses = new ArrayList<>();
      t.trainDecoder(0, 12, 2, 2e-3, 100, (p, s, n, loss) -> losses.add(loss));
      assertThat(losses.get(11)).as("loss after 12 decoder steps vs the first").isLessThan(losses.get(0));
      assertThat(t.decoderStepsDone()).isEqualTo(12);
      Map<String, float[]> after = copy(t.vaeWeights());
      for (String k : before.keySet()) {
        boolean decoderSide = k.startsWith("decoder.") || k.startsWith("post_quant_conv.");
        if (decoderSide) {
          assertThat(after.get(k)).as(k).isNotEqualTo(before.get(k));
        } else {
          assertThat(after.get(k)).as(k).isEqualTo(before.get(k));
        }
      }
    }
  }

  private static Map<String, float[]> copy(Map<String, org.bytedeco.pytorch.Tensor> named) {
    Map<String, float[]> out = new java.util.LinkedHashMap<>();
    named.forEach((k, v) -> out.put(k, EmaTest.values(v.detach())));
    return out;
  }
}
