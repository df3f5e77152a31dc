package io.ptinv.torch.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.torch.nn.ShapeRecorder;
import io.ptinv.torch.testing.Golden;
import io.ptinv.torch.text.ClipTextConfig;
import io.ptinv.torch.text.ClipTextModel;
import io.ptinv.torch.unet.UNet2DConditionModel;
import io.ptinv.torch.unet.UNetConfig;
import io.ptinv.torch.vae.AutoencoderKL;
import io.ptinv.torch.vae.VaeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An SD-v1-sized model built from the real configs has exactly the real checkpoint's tensor names and
 * shapes (diffusers layout), and the single-file key mapping covers every real single-file key.
 */
class SdV1LayoutTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static JsonNode diffusersKeys;
  static JsonNode singleFileKeys;
  static Path sd;

  @BeforeAll
  static void read() throws Exception {
    sd = Golden.dir().resolve("sd-v1");
    diffusersKeys = JSON.readTree(sd.resolve("diffusers-keys.json").toFile());
    singleFileKeys = JSON.readTree(sd.resolve("single-file-keys.json").toFile());
  }

  private static Map<String, long[]> expected(String component) {
    Map<String, long[]> out = new LinkedHashMap<>();
    diffusersKeys.get(component).fields().forEachRemaining(e -> out.put(e.getKey(), longs(e.getValue())));
    return out;
  }

  private static long[] longs(JsonNode arr) {
    long[] s = new long[arr.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = arr.get(i).asLong();
    }
    return s;
  }

  private static void assertSameLayout(Map<String, long[]> built, Map<String, long[]> expected) {
    assertThat(built.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (String k : expected.keySet()) {
      assertThat(built.get(k)).as(k).containsExactly(expected.get(k));
    }
  }

  private static <C> C config(String component, Class<C> type) throws Exception {
    return JSON.readValue(sd.resolve(component).resolve("config.json").toFile(), type);
  }

  @Test
  void theBundledSdV1ArchitectureIsTheRealConfigs() throws Exception {
    String base = "/io/ptinv/torch/architectures/sd-v1/";
    assertThat(ModelConfigs.readResource(base + "unet.json", UNetConfig.class)).isEqualTo(config("unet", UNetConfig.class));
    assertThat(ModelConfigs.readResource(base + "vae.json", VaeConfig.class)).isEqualTo(config("vae", VaeConfig.class));
    assertThat(ModelConfigs.readResource(base + "text_encoder.json", ClipTextConfig.class))
        .isEqualTo(config("text_encoder", ClipTextConfig.class));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelConfigs.readResource(base + "none.json", VaeConfig.class))
        .isInstanceOf(io.ptinv.ModelLoadException.class).hasMessageContaining("none.json");
  }

  @Test
  void unetMatchesTheRealLayoutAndSingleFileNames() throws Exception {
    UNetConfig c = config("unet", UNetConfig.class);
    ShapeRecorder rec = new ShapeRecorder();
    try (PointerScope scope = new PointerScope()) {
      UNet2DConditionModel unet = new UNet2DConditionModel(rec, c);
      assertThat(unet.crossAttentionLayers()).hasSize(16);
    }
    assertSameLayout(rec.requested(), expected("unet"));
    assertMapsOntoSingleFile(rec.requested(), n -> List.of(LdmKeys.unet(n, c.layersPerBlock(), c::upHasAttention)), LdmKeys.UNET);
  }

  @Test
  void vaeMatchesTheRealLayoutAndSingleFileNames() throws Exception {
    VaeConfig c = config("vae", VaeConfig.class);
    ShapeRecorder rec = new ShapeRecorder();
    try (PointerScope scope = new PointerScope()) {
      new AutoencoderKL(rec, c);
    }
    assertSameLayout(rec.requested(), expected("vae"));
    assertMapsOntoSingleFile(rec.requested(), n -> LdmKeys.vae(n, c.blockOutChannels().size()), LdmKeys.VAE);
  }

  @Test
  void textEncoderMatchesTheRealLayoutAndSingleFileNames() throws Exception {
    ClipTextConfig c = config("text_encoder", ClipTextConfig.class);
    ShapeRecorder rec = new ShapeRecorder();
    try (PointerScope scope = new PointerScope()) {
      new ClipTextModel(rec, c);
    }
    assertSameLayout(rec.requested(), expected("text_encoder"));
    assertMapsOntoSingleFile(rec.requested(), LdmKeys::text, LdmKeys.TEXT);
  }

  /** Every parameter finds exactly one single-file key of a compatible shape, and every key is used. */
  private static void assertMapsOntoSingleFile(
      Map<String, long[]> params, Function<String, List<String>> candidates, String prefix) {
    List<String> used = new ArrayList<>();
    for (Map.Entry<String, long[]> p : params.entrySet()) {
      String hit = candidates.apply(p.getKey()).stream().filter(singleFileKeys::has).findFirst().orElse(null);
      assertThat(hit).as("single-file key for %s among %s", p.getKey(), candidates.apply(p.getKey())).isNotNull();
      long[] stored = longs(singleFileKeys.get(hit));
      assertThat(Arrays.stream(stored).reduce(1, (a, b) -> a * b))
          .as("element count of %s", hit)
          .isEqualTo(Arrays.stream(p.getValue()).reduce(1, (a, b) -> a * b));
      used.add(hit);
    }
    List<String> all = new ArrayList<>();
    singleFileKeys.fieldNames().forEachRemaining(k -> {
      if (k.startsWith(prefix)) {
        all.add(k);
      }
    });
    assertThat(used).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
  }
}
