package io.ptinv.torch.nn;

import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Multi-head scaled dot-product attention {@code softmax(q k^T / sqrt(d)) v} on {@code [B, N, heads*d]}
 * projections. Without a probability hook it calls LibTorch's fused {@code scaled_dot_product_attention}
 * (flash / memory-efficient kernels on CUDA); with one it materialises the probabilities {@code [B, heads,
 * Nq, Nk]}, lets the hook read or replace them, and multiplies by {@code v}.
 */
public final class Attention {
  private Attention() {}

  /**
   * @param causal mask out keys after the query position (CLIP's text transformer)
   * @param probabilityHook null for the fused path, else called with the probabilities
   */
  public static Tensor attend(
      Tensor q, Tensor k, Tensor v, long heads, boolean causal, UnaryOperator<Tensor> probabilityHook) {
    long batch = q.size(0);
    long nq = q.size(1);
    long inner = q.size(2);
    long dHead = inner / heads;
    Tensor qh = splitHeads(q, heads);
    Tensor kh = splitHeads(k, heads);
    Tensor vh = splitHeads(v, heads);
    Tensor out;
    if (probabilityHook == null) {
      out = torch.scaled_dot_product_attention(qh, kh, vh, new TensorOptional(), 0.0, causal, new DoubleOptional(), false);
    } else {
      Tensor scores = torch.matmul(qh, kh.transpose(-1, -2)).mul(new Scalar(1.0 / Math.sqrt(dHead)));
      if (causal) {
        long nk = k.size(1);
        Tensor mask = torch.triu(torch.ones(nq, nk), 1).to(torch.ScalarType.Bool).to(scores.device(), torch.ScalarType.Bool);
        scores = scores.masked_fill(mask, new Scalar(Double.NEGATIVE_INFINITY));
      }
      Tensor probs = probabilityHook.apply(scores.softmax(-1));
      out = torch.matmul(probs, vh);
    }
    return out.transpose(1, 2).reshape(batch, nq, inner);
  }

  /** {@code [B, N, heads*d] -> [B, heads, N, d]}. */
  public static Tensor splitHeads(Tensor x, long heads) {
    return x.view(x.size(0), x.size(1), heads, x.size(2) / heads).transpose(1, 2);
  }
}
