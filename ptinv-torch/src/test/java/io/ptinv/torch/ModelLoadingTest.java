package io.ptinv.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ptinv.ModelLoadException;
import io.ptinv.torch.io.SafeTensorsFile;
import io.ptinv.torch.io.SafeTensorsWriter;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a model folder: bad weights give one typed error that names every problem. */
class ModelLoadingTest {
  @TempDir Path dir;
  static final LoadOptions CPU = new LoadOptions(ComputeDevice.CPU, Precision.FP32, null, null);

  /** A copy of the golden tiny-sd folder whose UNet weights were edited by {@code edit}. */
  private Path withEditedUnet(Consumer<Map<String, Tensor>> edit) throws IOException {
    Path copy = dir.resolve("model");
    try (Stream<Path> files = Files.walk(Golden.tinyModel())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = copy.resolve(Golden.tinyModel().relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    Path unet = copy.resolve("unet/diffusion_pytorch_model.safetensors");
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      try (SafeTensorsFile f = SafeTensorsFile.open(unet)) {
        for (String k : f.entries().keySet()) {
          tensors.put(k, f.read(k));
        }
      }
      edit.accept(tensors);
      SafeTensorsWriter.write(unet, tensors, Map.of());
    }
    return copy;
  }

  @Test
  void goldenFolderLoadsAndHasSixteenCrossAttentionLayers() {
    try (StableDiffusion sd = StableDiffusion.load(Golden.tinyModel(), CPU)) {
      assertThat(sd.unet().crossAttentionLayers()).hasSize(16);
      assertThat(sd.modelId()).hasSize(16);
      assertThat(sd.nativeResolution()).isEqualTo(128);
    }
  }

  @Test
  void theModelIdFollowsTheWeightsNotJustTheLayout() throws IOException {
    String golden;
    try (StableDiffusion sd = StableDiffusion.load(Golden.tinyModel(), CPU)) {
      golden = sd.modelId();
    }
    try (StableDiffusion again = StableDiffusion.load(Golden.tinyModel(), CPU)) {
      assertThat(again.modelId()).isEqualTo(golden);
    }
    Path retrained = withEditedUnet(t -> t.put("conv_out.bias", t.get("conv_out.bias").add(new org.bytedeco.pytorch.Scalar(0.5))));
    try (StableDiffusion b = StableDiffusion.load(retrained, CPU)) {
      assertThat(b.modelId()).as("same layout, other weights").isNotEqualTo(golden);
    }
  }

  @Test
  void missingUnexpectedAndMisshapedKeysAreReportedTogether() throws IOException {
    Path model = withEditedUnet(t -> {
      t.remove("conv_in.weight");
      t.remove("mid_block.resnets.0.conv1.bias");
      t.put("surprise.weight", torch.zeros(2));
      t.put("conv_out.bias", torch.zeros(7));
    });
    assertThatThrownBy(() -> StableDiffusion.load(model, CPU))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("diffusion_pytorch_model.safetensors")
        .hasMessageContaining("2 missing")
        .hasMessageContaining("conv_in.weight [32, 4, 3, 3]")
        .hasMessageContaining("mid_block.resnets.0.conv1.bias")
        .hasMessageContaining("1 unexpected")
        .hasMessageContaining("surprise.weight")
        .hasMessageContaining("1 wrong shape")
        .hasMessageContaining("conv_out.bias: expected [4] but found [7]");
  }

  @Test
  void truncatedWeightsAreATypedError() throws IOException {
    Path model = withEditedUnet(t -> {});
    Path unet = model.resolve("unet/diffusion_pytorch_model.safetensors");
    byte[] bytes = Files.readAllBytes(unet);
    Files.write(unet, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    assertThatThrownBy(() -> StableDiffusion.load(model, CPU))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("diffusion_pytorch_model.safetensors")
        .hasMessageContaining("outside the data section");
  }

  @Test
  void missingFolderPartsAreNamed() throws IOException {
    Path model = withEditedUnet(t -> {});
    Files.delete(model.resolve("vae/config.json"));
    assertThatThrownBy(() -> StableDiffusion.load(model, CPU))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("vae/config.json")
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> StableDiffusion.load(dir.resolve("nope"), CPU))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no such model");
  }

  @Test
  void singleFileWithInferredSizesMatchesTheFolderBitForBit() {
    try (StableDiffusion folder = StableDiffusion.load(Golden.tinyModel(), CPU);
        StableDiffusion single = StableDiffusion.load(Golden.dir().resolve("tiny-sd.single-file.safetensors"),
            CPU.withConfigDir(Golden.tinyModel()));
        PointerScope scope = new PointerScope()) {
      Tensor ids = folder.tokenize("a photo of a red car");
      assertThat(torch.equal(folder.textEncoder().forward(ids), single.textEncoder().forward(ids))).isTrue();
      Tensor z = torch.randn(1, 4, 16, 16);
      Tensor ctx = torch.randn(1, 77, 32);
      assertThat(torch.equal(folder.unet().forward(z, 501, io.ptinv.torch.unet.Conditioning.shared(ctx)),
          single.unet().forward(z, 501, io.ptinv.torch.unet.Conditioning.shared(ctx)))).isTrue();
    }
  }
}
