package io.ptinv.torch.unet;

import io.ptinv.torch.nn.Conv2d;
import io.ptinv.torch.nn.Params;
import io.ptinv.torch.nn.ResnetBlock;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One down or up block of the UNet: ResNet layers, each optionally followed by a transformer (the
 * CrossAttn variants), then a stride-2 downsampler or a nearest-neighbour 2x upsampler with a conv. Up
 * blocks concatenate a skip connection before each ResNet.
 */
final class UNetBlock {
  private final List<ResnetBlock> resnets = new ArrayList<>();
  private final List<Transformer2D> attentions = new ArrayList<>();
  private final Conv2d resample;
  private final boolean up;

  private UNetBlock(boolean up, Conv2d resample) {
    this.up = up;
    this.resample = resample;
  }

  /** Down block {@code index} of {@code c}; {@code crossIndex} is the first cross-attention index it gets. */
  static UNetBlock down(Params p, UNetConfig c, int index, long in, long out, int crossIndex) {
    boolean last = index == c.blockOutChannels().size() - 1;
    UNetBlock block = new UNetBlock(false, last ? null : new Conv2d(p.sub("downsamplers.0.conv"), out, out, 3, 2, 1));
    for (int j = 0; j < c.layersPerBlock(); j++) {
      block.resnets.add(new ResnetBlock(p.sub("resnets", j), j == 0 ? in : out, out, c.timeEmbedDim(), c.normNumGroups(), c.normEps()));
      if (c.downHasAttention(index)) {
        block.attentions.add(new Transformer2D(p.sub("attentions", j), "down_blocks." + index + ".attentions." + j, out,
            c.heads().get(index), c.crossAttentionDim(), c.normNumGroups(), c.useLinearProjection(), crossIndex + j, index));
      }
    }
    return block;
  }

  /**
   * Up block {@code index}: {@code prev} channels come from below, {@code skipIn} is the channel count of
   * the last skip it consumes (the block above's input).
   */
  static UNetBlock up(Params p, UNetConfig c, int index, long prev, long out, long skipIn, int crossIndex) {
    int n = c.blockOutChannels().size();
    boolean last = index == n - 1;
    UNetBlock block = new UNetBlock(true, last ? null : new Conv2d(p.sub("upsamplers.0.conv"), out, out, 3, 1, 1));
    int layers = c.layersPerBlock() + 1;
    int heads = c.heads().get(n - 1 - index);
    for (int j = 0; j < layers; j++) {
      long skip = j == layers - 1 ? skipIn : out;
      long resIn = j == 0 ? prev : out;
      block.resnets.add(new ResnetBlock(p.sub("resnets", j), resIn + skip, out, c.timeEmbedDim(), c.normNumGroups(), c.normEps()));
      if (c.upHasAttention(index)) {
        block.attentions.add(new Transformer2D(p.sub("attentions", j), "up_blocks." + index + ".attentions." + j, out,
            heads, c.crossAttentionDim(), c.normNumGroups(), c.useLinearProjection(), crossIndex + j, n - 1 - index));
      }
    }
    return block;
  }

  List<Transformer2D> attentions() {
    return attentions;
  }

  /** Down pass: pushes every intermediate output onto {@code skips}. */
  Tensor forwardDown(Tensor h, Tensor temb, Conditioning cond, AttentionControl control, Deque<Tensor> skips) {
    for (int j = 0; j < resnets.size(); j++) {
      h = resnets.get(j).forward(h, temb);
      if (!attentions.isEmpty()) {
        Transformer2D t = attentions.get(j);
        h = t.forward(h, cond.context(t.crossSite().crossIndex()), control);
      }
      skips.push(h);
    }
    if (resample != null) {
      h = resample.forward(h);
      skips.push(h);
    }
    return h;
  }

  /** Up pass: pops skips; the upsampler matches the size of the next skip (odd sizes work). */
  Tensor forwardUp(Tensor h, Tensor temb, Conditioning cond, AttentionControl control, Deque<Tensor> skips) {
    for (int j = 0; j < resnets.size(); j++) {
      h = resnets.get(j).forward(torch.cat(new org.bytedeco.pytorch.TensorVector(h, skips.pop()), 1), temb);
      if (!attentions.isEmpty()) {
        Transformer2D t = attentions.get(j);
        h = t.forward(h, cond.context(t.crossSite().crossIndex()), control);
      }
    }
    if (resample != null && up) {
      Tensor next = skips.peek();
      long[] size = next != null ? new long[] {next.size(2), next.size(3)} : new long[] {h.size(2) * 2, h.size(3) * 2};
      h = resample.forward(torch.upsample_nearest2d(h, size));
    }
    return h;
  }
}
