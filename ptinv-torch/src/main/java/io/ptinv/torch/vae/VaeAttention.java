package io.ptinv.torch.vae;

import io.ptinv.torch.nn.Attention;
import io.ptinv.torch.nn.GroupNorm;
import io.ptinv.torch.nn.Linear;
import io.ptinv.torch.nn.Params;
import org.bytedeco.pytorch.Tensor;

/** The VAE mid-block's single-head spatial self-attention with a residual connection. */
final class VaeAttention {
  private final GroupNorm norm;
  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final Linear out;

  VaeAttention(Params p, long channels, int groups) {
    norm = new GroupNorm(p.sub("group_norm"), groups, channels, 1e-6);
    q = new Linear(p.sub("to_q"), channels, channels, true);
    k = new Linear(p.sub("to_k"), channels, channels, true);
    v = new Linear(p.sub("to_v"), channels, channels, true);
    out = new Linear(p.sub("to_out.0"), channels, channels, true);
  }

  Tensor forward(Tensor x) {
    long b = x.size(0);
    long c = x.size(1);
    long h = x.size(2);
    long w = x.size(3);
    Tensor seq = norm.forward(x).view(b, c, h * w).transpose(1, 2);
    Tensor a = Attention.attend(q.forward(seq), k.forward(seq), v.forward(seq), 1, false, null);
    Tensor back = out.forward(a).transpose(1, 2).reshape(b, c, h, w);
    return back.add(x);
  }
}
