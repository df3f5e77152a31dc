package io.ptinv.examples.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.torch.io.SafeTensorsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Writes a trained model in the diffusers folder layout, weights in fp16 to keep the folder small. */
final class ModelFolder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFolder() {}

  static void write(Path out, Map<String, Tensor> vae, Map<String, Tensor> text, Map<String, Tensor> unet, double scaling)
      throws IOException {
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("_class_name", "StableDiffusionPipeline");
    index.put("_ptinv", "shapes model trained by ptinv train-shapes");
    index.put("unet", List.of("diffusers", "UNet2DConditionModel"));
    index.put("vae", List.of("diffusers", "AutoencoderKL"));
    index.put("text_encoder", List.of("transformers", "CLIPTextModel"));
    index.put("tokenizer", List.of("transformers", "CLIPTokenizer"));
    index.put("scheduler", List.of("diffusers", "DDIMScheduler"));
    json(out.resolve("model_index.json"), index);
    json(out.resolve("vae/config.json"), ShapesModelSpec.vaeJson(ShapesModelSpec.vae(scaling)));
    json(out.resolve("text_encoder/config.json"), ShapesModelSpec.textJson(ShapesModelSpec.text()));
    json(out.resolve("unet/config.json"), ShapesModelSpec.unetJson(ShapesModelSpec.unet()));
    json(out.resolve("scheduler/scheduler_config.json"), ShapesModelSpec.schedulerJson());
    Files.createDirectories(out.resolve("tokenizer"));
    for (String f : List.of("vocab.json", "merges.txt")) {
      try (InputStream in = ModelFolder.class.getResourceAsStream("/io/ptinv/torch/text/clip-vit-large-patch14/" + f)) {
        Files.copy(in, out.resolve("tokenizer").resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Map<String, Object> special = new LinkedHashMap<>();
    special.put("bos_token", "<|startoftext|>");
    special.put("eos_token", "<|endoftext|>");
    special.put("pad_token", "<|endoftext|>");
    special.put("unk_token", "<|endoftext|>");
    json(out.resolve("tokenizer/special_tokens_map.json"), special);
    weights(out.resolve("vae/diffusion_pytorch_model.safetensors"), vae);
    weights(out.resolve("text_encoder/model.safetensors"), text);
    weights(out.resolve("unet/diffusion_pytorch_model.safetensors"), unet);
  }

  private static void json(Path file, Object value) throws IOException {
    Files.createDirectories(file.getParent());
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), value);
  }

  private static void weights(Path file, Map<String, Tensor> named) {
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> half = new LinkedHashMap<>();
      named.forEach((k, v) -> half.put(k, v.detach().to(torch.ScalarType.Half)));
      SafeTensorsWriter.write(file, half, Map.of("format", "pt"));
    }
  }
}
