package io.ptinv.torch.text;

import io.ptinv.InvalidInputException;
import io.ptinv.torch.nn.LayerNorm;
import io.ptinv.torch.nn.Params;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * CLIP's text transformer as SD uses it: token + position embeddings, pre-LN causal self-attention
 * layers with a quick-GELU MLP, final layer norm; returns the last hidden state {@code [B, 77, hidden]}.
 * Parameter names follow {@code transformers}' CLIPTextModel ({@code text_model.*}).
 */
public final class ClipTextModel {
  private final ClipTextConfig config;
  private final Tensor tokenEmbedding;
  private final Tensor positionEmbedding;
  private final List<ClipEncoderLayer> layers = new ArrayList<>();
  private final LayerNorm finalNorm;

  public ClipTextModel(Params params, ClipTextConfig config) {
    this.config = config;
    Params p = params.sub("text_model");
    tokenEmbedding = p.get("embeddings.token_embedding.weight", config.vocabSize(), config.hiddenSize());
    positionEmbedding = p.get("embeddings.position_embedding.weight", config.maxPositionEmbeddings(), config.hiddenSize());
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      layers.add(new ClipEncoderLayer(p.sub("encoder.layers", i), config.hiddenSize(), config.intermediateSize(),
          config.numAttentionHeads(), config.layerNormEps(), config.hiddenAct()));
    }
    finalNorm = new LayerNorm(p.sub("final_layer_norm"), config.hiddenSize(), config.layerNormEps());
  }

  public ClipTextConfig config() {
    return config;
  }

  /**
   * @param ids token ids {@code [B, L]} (int64), L at most {@code max_position_embeddings}
   * @return last hidden state {@code [B, L, hidden]}
   */
  public Tensor forward(Tensor ids) {
    long length = ids.size(1);
    InvalidInputException.check(
        length <= config.maxPositionEmbeddings(), "ids", "at most " + config.maxPositionEmbeddings() + " tokens", length);
    Tensor positions = positionEmbedding.narrow(0, 0, length).unsqueeze(0);
    Tensor h = torch.embedding(tokenEmbedding, ids.to(tokenEmbedding.device(), torch.ScalarType.Long)).add(positions);
    for (ClipEncoderLayer layer : layers) {
      h = layer.forward(h, true);
    }
    return finalNorm.forward(h);
  }
}
