package io.ptinv.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.InvalidInputException;
import io.ptinv.ModelLoadException;
import io.ptinv.torch.io.LoadedParams;
import io.ptinv.torch.io.SafeTensorsFile;
import io.ptinv.torch.io.WeightSource;
import io.ptinv.torch.nn.LayerNorm;
import io.ptinv.torch.nn.Params;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.runtime.Tensors;
import io.ptinv.torch.runtime.Torch;
import io.ptinv.torch.text.ClipEncoderLayer;
import io.ptinv.torch.text.ClipTextConfig;
import io.ptinv.torch.text.ClipTextModel;
import io.ptinv.torch.text.ClipTokenizer;
import io.ptinv.torch.text.TruncationPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * CLIP score as torchmetrics 1.2's {@code CLIPScore} computes it with HF transformers' {@code CLIPModel} and
 * {@code CLIPProcessor} (PIE-Bench uses {@code openai/clip-vit-large-patch14}): the image's shortest edge resized to
 * 224 with Pillow's bicubic on 8-bit data ({@link PillowBicubic}), centre-cropped to 224, {@code x * (1/255)} then
 * normalised with CLIP's mean and std; the prompt as {@code [BOS] BPE [EOS]}, cut to 77 ids; score
 * {@code max(100 cos(image_embeds, text_embeds), 0)}. Weights: a safetensors file in HF {@code CLIPModel} key layout,
 * with the model's {@code config.json} and {@code preprocessor_config.json}.
 */
public final class ClipScore implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SafeTensorsFile file;
  private final LoadedParams params;
  private final ClipTokenizer tokenizer;
  private final ClipTextModel text;
  private final Tensor textProjection;
  private final Tensor patchWeight;
  private final Tensor classEmbedding;
  private final Tensor positionEmbedding;
  private final LayerNorm preNorm;
  private final LayerNorm postNorm;
  private final List<ClipEncoderLayer> visionLayers = new ArrayList<>();
  private final Tensor visualProjection;
  private final int patch;
  private final int imageSize;
  private final int shortestEdge;
  private final float[] mean = new float[3];
  private final float[] std = new float[3];

  /** What a score was computed from: the reference's intermediates, for checks and reports. */
  public record Details(long[] inputIds, byte[] resizedCrop, float[] pixelValues, float[] imageEmbeds,
      float[] textEmbeds, double rawScore, Score score) {}

  private ClipScore(Path weights, Path config, Path preprocessorConfig) {
    Torch.ensureLoaded();
    JsonNode c = read(config);
    JsonNode pre = read(preprocessorConfig);
    JsonNode tc = c.path("text_config");
    JsonNode vc = c.path("vision_config");
    int projection = c.path("projection_dim").asInt(tc.path("projection_dim").asInt(512));
    ClipTextConfig textConfig = new ClipTextConfig(tc.path("vocab_size").asInt(49408), tc.path("hidden_size").asInt(),
        tc.path("intermediate_size").asInt(), tc.path("num_attention_heads").asInt(), tc.path("num_hidden_layers").asInt(),
        tc.path("max_position_embeddings").asInt(77), tc.path("layer_norm_eps").asDouble(1e-5),
        tc.path("hidden_act").asText("quick_gelu"));
    int width = vc.path("hidden_size").asInt();
    patch = vc.path("patch_size").asInt();
    imageSize = vc.path("image_size").asInt(224);
    JsonNode size = pre.path("size");
    shortestEdge = size.isInt() ? size.asInt() : size.path("shortest_edge").asInt(imageSize);
    for (int i = 0; i < 3; i++) {
      mean[i] = (float) pre.path("image_mean").path(i).asDouble();
      std[i] = (float) pre.path("image_std").path(i).asDouble();
    }
    if (width <= 0 || patch <= 0 || std[0] == 0) {
      throw new ModelLoadException(config + " / " + preprocessorConfig + ": expected a CLIPConfig with vision_config "
          + "(hidden_size, patch_size) and a preprocessor config with image_mean/image_std");
    }
    tokenizer = ClipTokenizer.bundled(TruncationPolicy.WARN);
    file = SafeTensorsFile.open(weights);
    params = new LoadedParams(WeightSource.of(file), ComputeDevice.CPU, Precision.FP32,
        Set.of("logit_scale", "text_model.embeddings.position_ids", "vision_model.embeddings.position_ids"));
    try (PointerScope scope = new PointerScope()) {
      text = new ClipTextModel(params, textConfig);
      textProjection = params.get("text_projection.weight", projection, textConfig.hiddenSize());
      Params v = params.sub("vision_model");
      int grid = imageSize / patch;
      patchWeight = v.get("embeddings.patch_embedding.weight", width, 3, patch, patch);
      classEmbedding = v.get("embeddings.class_embedding", width);
      positionEmbedding = v.get("embeddings.position_embedding.weight", (long) grid * grid + 1, width);
      preNorm = new LayerNorm(v.sub("pre_layrnorm"), width, vc.path("layer_norm_eps").asDouble(1e-5));
      for (int i = 0; i < vc.path("num_hidden_layers").asInt(); i++) {
        visionLayers.add(new ClipEncoderLayer(v.sub("encoder.layers", i), width, vc.path("intermediate_size").asInt(),
            vc.path("num_attention_heads").asInt(), vc.path("layer_norm_eps").asDouble(1e-5),
            vc.path("hidden_act").asText("quick_gelu")));
      }
      postNorm = new LayerNorm(v.sub("post_layernorm"), width, vc.path("layer_norm_eps").asDouble(1e-5));
      visualProjection = params.get("visual_projection.weight", projection, width);
      params.finish("CLIP weights");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * @param weights HF {@code CLIPModel} state dict as safetensors
   * @param config the model's {@code config.json}
   * @param preprocessorConfig its {@code preprocessor_config.json}
   * @return the model on the CPU, fp32
   */
  public static ClipScore load(Path weights, Path config, Path preprocessorConfig) {
    InvalidInputException.requireNonNull(weights, "weights");
    InvalidInputException.requireNonNull(config, "config");
    InvalidInputException.requireNonNull(preprocessorConfig, "preprocessorConfig");
    return new ClipScore(weights, config, preprocessorConfig);
  }

  /**
   * The CLIP score of an 8-bit RGB image and a prompt (PIE-Bench strips {@code [} and {@code ]} from prompts first; the
   * runner does that, not this method).
   *
   * @param hwc row-major {@code H x W x 3} bytes (for PIE-Bench's edited part: already multiplied by the mask)
   * @param height H
   * @param width W
   * @param prompt the text
   * @return the score in [0, 100]
   */
  public Score score(byte[] hwc, int height, int width, String prompt) {
    return details(hwc, height, width, prompt).score();
  }

  /**
   * As {@link #score}, with the intermediates.
   *
   * @param hwc row-major {@code H x W x 3} bytes
   * @param height H
   * @param width W
   * @param prompt the text
   * @return the score and what it was computed from
   */
  public Details details(byte[] hwc, int height, int width, String prompt) {
    InvalidInputException.requireNonNull(hwc, "image");
    InvalidInputException.requireNonNull(prompt, "prompt");
    long[] ids = inputIds(prompt);
    byte[] crop = resizeAndCrop(hwc, height, width);
    float[] pixels = pixelValues(crop);
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Tensor image = imageFeatures(Tensors.fromFloats(pixels, 1, 3, imageSize, imageSize));
      Tensor txt = textFeatures(ids);
      // torchmetrics: 100 * <a / |a|, b / |b|> in float32, then max(score, 0)
      Tensor na = image.div(image.norm());
      Tensor nb = txt.div(txt.norm());
      double raw = (float) (100 * na.mul(nb).sum().item_double());
      return new Details(ids, crop, pixels, Tensors.toFloats(image), Tensors.toFloats(txt), raw,
          Score.of(Math.max(raw, 0)));
    }
  }

  /** {@code [BOS] BPE [EOS]}, cut to the text model's 77 positions (the EOS is lost for a long prompt). */
  long[] inputIds(String prompt) {
    List<Integer> body = tokenizer.encodeBody(prompt);
    int n = Math.min(body.size() + 2, text.config().maxPositionEmbeddings());
    long[] ids = new long[n];
    ids[0] = tokenizer.bosId();
    for (int i = 1; i < n; i++) {
      ids[i] = i - 1 < body.size() ? body.get(i - 1) : tokenizer.eosId();
    }
    return ids;
  }

  /** Shortest edge to 224 (long edge {@code int(224 long / short)}), Pillow bicubic, centre crop 224x224. */
  byte[] resizeAndCrop(byte[] hwc, int height, int width) {
    int newH;
    int newW;
    if (width <= height) {
      newW = shortestEdge;
      newH = (int) ((long) shortestEdge * height / width);
    } else {
      newH = shortestEdge;
      newW = (int) ((long) shortestEdge * width / height);
    }
    byte[] resized = PillowBicubic.resize(hwc, height, width, newH, newW);
    InvalidInputException.check(newH >= imageSize && newW >= imageSize, "image", "at least " + imageSize
        + " pixels on the short side after resizing", newW + "x" + newH);
    int top = (newH - imageSize) / 2;
    int left = (newW - imageSize) / 2;
    byte[] crop = new byte[3 * imageSize * imageSize];
    for (int y = 0; y < imageSize; y++) {
      System.arraycopy(resized, 3 * ((y + top) * newW + left), crop, 3 * y * imageSize, 3 * imageSize);
    }
    return crop;
  }

  /** {@code (x * (1/255) as float64 -> float32 - mean) / std}, channel-major {@code [3, 224, 224]}. */
  float[] pixelValues(byte[] crop) {
    int plane = imageSize * imageSize;
    float[] out = new float[3 * plane];
    double inv = 1.0 / 255;
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        float x = (float) ((crop[3 * i + c] & 0xFF) * inv);
        out[c * plane + i] = (x - mean[c]) / std[c];
      }
    }
    return out;
  }

  private Tensor imageFeatures(Tensor pixels) {
    Tensor patches = torch.conv2d(pixels, patchWeight, new TensorOptional(), new long[] {patch, patch},
        new long[] {0, 0}, new long[] {1, 1}, 1); // [1, D, g, g]
    Tensor tokens = patches.flatten(2, 3).transpose(1, 2); // [1, g*g, D]
    Tensor cls = classEmbedding.view(1, 1, -1);
    Tensor h = torch.cat(new TensorVector(cls, tokens), 1).add(positionEmbedding.unsqueeze(0));
    h = preNorm.forward(h);
    for (ClipEncoderLayer layer : visionLayers) {
      h = layer.forward(h, false);
    }
    Tensor pooled = postNorm.forward(h.select(1, 0));
    return torch.matmul(pooled, visualProjection.t());
  }

  private Tensor textFeatures(long[] ids) {
    Tensor idTensor = Tensor.create(ids, 1, ids.length);
    Tensor hidden = text.forward(idTensor); // [1, L, D]
    int eos = 0;
    for (int i = 1; i < ids.length; i++) {
      if (ids[i] > ids[eos]) {
        eos = i; // the first position of the largest id (HF's argmax pooling)
      }
    }
    return torch.matmul(hidden.select(1, eos), textProjection.t());
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot read JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (params != null) {
      params.releaseAll();
    }
    if (file != null) {
      file.close();
    }
  }
}
