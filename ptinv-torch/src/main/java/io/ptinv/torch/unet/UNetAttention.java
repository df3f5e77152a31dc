package io.ptinv.torch.unet;

import io.ptinv.torch.nn.Attention;
import io.ptinv.torch.nn.Linear;
import io.ptinv.torch.nn.Params;
import org.bytedeco.pytorch.Tensor;

/** attn1 (self) or attn2 (cross) of a transformer block, with the {@link AttentionControl} seam. */
final class UNetAttention {
  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final Linear out;
  private final AttentionSite site;

  UNetAttention(Params p, long queryDim, long contextDim, int heads, long headDim, AttentionSite site) {
    long inner = heads * headDim;
    q = new Linear(p.sub("to_q"), queryDim, inner, false);
    k = new Linear(p.sub("to_k"), contextDim, inner, false);
    v = new Linear(p.sub("to_v"), contextDim, inner, false);
    out = new Linear(p.sub("to_out.0"), inner, queryDim, true);
    this.site = site;
  }

  AttentionSite site() {
    return site;
  }

  /**
   * @param context {@code [B, Nk, contextDim]} for cross-attention; ignored (x is used) for self-attention
   */
  Tensor forward(Tensor x, Tensor context, AttentionControl control) {
    Tensor kv = site.cross() ? context : x;
    Tensor keys = k.forward(kv);
    Tensor values = v.forward(kv);
    if (!site.cross()) {
      Tensor[] replaced = control.onSelfAttentionKeyValue(site, keys, values);
      if (replaced != null) {
        keys = replaced[0];
        values = replaced[1];
      }
    }
    boolean hook = control.wantsProbabilities(site);
    Tensor a = Attention.attend(q.forward(x), keys, values, site.heads(), false,
        hook ? probs -> control.onProbabilities(site, probs) : null);
    return out.forward(a);
  }
}
