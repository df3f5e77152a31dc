package io.ptinv.torch.text;

import io.ptinv.InvalidInputException;
import io.ptinv.torch.nn.Attention;
import io.ptinv.torch.nn.LayerNorm;
import io.ptinv.torch.nn.Linear;
import io.ptinv.torch.nn.Params;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
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
  private final List<Layer> layers = new ArrayList<>();
  private final LayerNorm finalNorm;

  public ClipTextModel(Params params, ClipTextConfig config) {
    this.config = config;
    Params p = params.sub("text_model");
    tokenEmbedding = p.get("embeddings.token_embedding.weight", config.vocabSize(), config.hiddenSize());
    positionEmbedding = p.get("embeddings.position_embedding.weight", config.maxPositionEmbeddings(), config.hiddenSize());
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      layers.add(new Layer(p.sub("encoder.layers", i), config));
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
    for (Layer layer : layers) {
      h = layer.forward(h);
    }
    return finalNorm.forward(h);
  }

  private static final class Layer {
    private final LayerNorm norm1;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear out;
    private final LayerNorm norm2;
    private final Linear fc1;
    private final Linear fc2;
    private final long heads;
    private final boolean quickGelu;

    Layer(Params p, ClipTextConfig c) {
      long d = c.hiddenSize();
      norm1 = new LayerNorm(p.sub("layer_norm1"), d, c.layerNormEps());
      q = new Linear(p.sub("self_attn.q_proj"), d, d, true);
      k = new Linear(p.sub("self_attn.k_proj"), d, d, true);
      v = new Linear(p.sub("self_attn.v_proj"), d, d, true);
      out = new Linear(p.sub("self_attn.out_proj"), d, d, true);
      norm2 = new LayerNorm(p.sub("layer_norm2"), d, c.layerNormEps());
      fc1 = new Linear(p.sub("mlp.fc1"), d, c.intermediateSize(), true);
      fc2 = new Linear(p.sub("mlp.fc2"), c.intermediateSize(), d, true);
      heads = c.numAttentionHeads();
      quickGelu = c.hiddenAct().equals("quick_gelu");
    }

    Tensor forward(Tensor x) {
      Tensor h = norm1.forward(x);
      Tensor a = Attention.attend(q.forward(h), k.forward(h), v.forward(h), heads, true, null);
      x = x.add(out.forward(a));
      Tensor m = fc1.forward(norm2.forward(x));
      // quick GELU: x * sigmoid(1.702 x)
      m = quickGelu ? m.mul(m.mul(new Scalar(1.702)).sigmoid()) : torch.gelu(m);
      return x.add(fc2.forward(m));
    }
  }
}
