package io.ptinv.torch.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code text_encoder/config.json} of a CLIPTextModel (the fields the encoder needs). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClipTextConfig(
    @JsonProperty("vocab_size") int vocabSize,
    @JsonProperty("hidden_size") int hiddenSize,
    @JsonProperty("intermediate_size") int intermediateSize,
    @JsonProperty("num_attention_heads") int numAttentionHeads,
    @JsonProperty("num_hidden_layers") int numHiddenLayers,
    @JsonProperty("max_position_embeddings") int maxPositionEmbeddings,
    @JsonProperty("layer_norm_eps") double layerNormEps,
    @JsonProperty("hidden_act") String hiddenAct) {

  public ClipTextConfig {
    if (layerNormEps == 0) {
      layerNormEps = 1e-5;
    }
    if (hiddenAct == null) {
      hiddenAct = "quick_gelu";
    }
  }

  /** SD v1's text encoder: CLIP ViT-L/14's text tower. */
  public static ClipTextConfig sdV1() {
    return new ClipTextConfig(49408, 768, 3072, 12, 12, 77, 1e-5, "quick_gelu");
  }
}
