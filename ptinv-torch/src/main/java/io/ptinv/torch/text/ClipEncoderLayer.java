package io.ptinv.torch.text;

import io.ptinv.torch.nn.Attention;
import io.ptinv.torch.nn.LayerNorm;
import io.ptinv.torch.nn.Linear;
import io.ptinv.torch.nn.Params;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One pre-LN transformer layer of CLIP (HF {@code CLIPEncoderLayer}), shared by the text tower (causal) and the vision
 * tower (not causal): {@code x + out(attn(LN1 x))}, then {@code x + fc2(act(fc1(LN2 x)))} with quick GELU
 * {@code x sigmoid(1.702 x)} or exact GELU.
 */
public final class ClipEncoderLayer {
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

  /**
   * @param p the layer's parameters ({@code layer_norm1}, {@code self_attn.{q,k,v,out}_proj}, {@code layer_norm2},
   *     {@code mlp.fc1}, {@code mlp.fc2})
   * @param hidden width
   * @param intermediate MLP width
   * @param heads attention heads
   * @param eps LayerNorm epsilon
   * @param activation {@code quick_gelu} or {@code gelu}
   */
  public ClipEncoderLayer(Params p, long hidden, long intermediate, long heads, double eps, String activation) {
    norm1 = new LayerNorm(p.sub("layer_norm1"), hidden, eps);
    q = new Linear(p.sub("self_attn.q_proj"), hidden, hidden, true);
    k = new Linear(p.sub("self_attn.k_proj"), hidden, hidden, true);
    v = new Linear(p.sub("self_attn.v_proj"), hidden, hidden, true);
    out = new Linear(p.sub("self_attn.out_proj"), hidden, hidden, true);
    norm2 = new LayerNorm(p.sub("layer_norm2"), hidden, eps);
    fc1 = new Linear(p.sub("mlp.fc1"), hidden, intermediate, true);
    fc2 = new Linear(p.sub("mlp.fc2"), intermediate, hidden, true);
    this.heads = heads;
    quickGelu = "quick_gelu".equals(activation);
  }

  /**
   * @param x {@code [B, L, hidden]}
   * @param causal whether position i attends only to positions up to i (the text tower)
   * @return {@code [B, L, hidden]}
   */
  public Tensor forward(Tensor x, boolean causal) {
    Tensor h = norm1.forward(x);
    Tensor a = Attention.attend(q.forward(h), k.forward(h), v.forward(h), heads, causal, null);
    x = x.add(out.forward(a));
    Tensor m = fc1.forward(norm2.forward(x));
    m = quickGelu ? m.mul(m.mul(new Scalar(1.702)).sigmoid()) : torch.gelu(m);
    return x.add(fc2.forward(m));
  }
}
