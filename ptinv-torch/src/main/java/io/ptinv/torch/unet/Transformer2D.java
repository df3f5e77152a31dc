package io.ptinv.torch.unet;

import io.ptinv.torch.nn.Conv2d;
import io.ptinv.torch.nn.GroupNorm;
import io.ptinv.torch.nn.LayerNorm;
import io.ptinv.torch.nn.Linear;
import io.ptinv.torch.nn.Params;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * diffusers' {@code Transformer2DModel} with one {@code BasicTransformerBlock}: GN, 1x1 projection in,
 * [LN, self-attention, +] [LN, cross-attention, +] [LN, GEGLU feed-forward, +], projection out, + input.
 */
final class Transformer2D {
  private final GroupNorm norm;
  private final Conv2d projInConv;
  private final Linear projInLinear;
  private final Conv2d projOutConv;
  private final Linear projOutLinear;
  private final LayerNorm norm1;
  private final LayerNorm norm2;
  private final LayerNorm norm3;
  private final UNetAttention attn1;
  private final UNetAttention attn2;
  private final Linear ffIn;
  private final Linear ffOut;

  Transformer2D(Params p, String name, long channels, int heads, long contextDim, int groups, boolean linearProjection,
      int crossIndex, int downsampling) {
    norm = new GroupNorm(p.sub("norm"), groups, channels, 1e-6);
    projInConv = linearProjection ? null : new Conv2d(p.sub("proj_in"), channels, channels, 1, 1, 0);
    projInLinear = linearProjection ? new Linear(p.sub("proj_in"), channels, channels, true) : null;
    Params b = p.sub("transformer_blocks.0");
    String blockName = name + ".transformer_blocks.0";
    long headDim = channels / heads;
    norm1 = new LayerNorm(b.sub("norm1"), channels, 1e-5);
    attn1 = new UNetAttention(b.sub("attn1"), channels, channels, heads, headDim,
        new AttentionSite(blockName + ".attn1", false, -1, downsampling, heads));
    norm2 = new LayerNorm(b.sub("norm2"), channels, 1e-5);
    attn2 = new UNetAttention(b.sub("attn2"), channels, contextDim, heads, headDim,
        new AttentionSite(blockName + ".attn2", true, crossIndex, downsampling, heads));
    norm3 = new LayerNorm(b.sub("norm3"), channels, 1e-5);
    ffIn = new Linear(b.sub("ff.net.0.proj"), channels, channels * 8, true);
    ffOut = new Linear(b.sub("ff.net.2"), channels * 4, channels, true);
    projOutConv = linearProjection ? null : new Conv2d(p.sub("proj_out"), channels, channels, 1, 1, 0);
    projOutLinear = linearProjection ? new Linear(p.sub("proj_out"), channels, channels, true) : null;
  }

  AttentionSite crossSite() {
    return attn2.site();
  }

  Tensor forward(Tensor x, Tensor context, AttentionControl control) {
    long b = x.size(0);
    long c = x.size(1);
    long h = x.size(2);
    long w = x.size(3);
    Tensor hs = norm.forward(x);
    if (projInConv != null) {
      hs = projInConv.forward(hs).permute(0, 2, 3, 1).reshape(b, h * w, c);
    } else {
      hs = projInLinear.forward(hs.permute(0, 2, 3, 1).reshape(b, h * w, c));
    }
    hs = hs.add(attn1.forward(norm1.forward(hs), null, control));
    hs = hs.add(attn2.forward(norm2.forward(hs), context, control));
    TensorVector geglu = ffIn.forward(norm3.forward(hs)).chunk(2, -1); // GEGLU: a * gelu(gate)
    hs = hs.add(ffOut.forward(geglu.get(0).mul(torch.gelu(geglu.get(1)))));
    if (projOutConv != null) {
      hs = projOutConv.forward(hs.reshape(b, h, w, c).permute(0, 3, 1, 2));
    } else {
      hs = projOutLinear.forward(hs).reshape(b, h, w, c).permute(0, 3, 1, 2);
    }
    return hs.add(x);
  }
}
