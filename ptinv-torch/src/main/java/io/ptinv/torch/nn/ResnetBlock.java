package io.ptinv.torch.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * diffusers' {@code ResnetBlock2D}: GN, SiLU, conv3x3, (+ projected time embedding), GN, SiLU, conv3x3,
 * plus a 1x1-conv shortcut when the channel count changes. Used by the UNet (with time embedding) and the
 * VAE (without).
 */
public final class ResnetBlock {
  private final GroupNorm norm1;
  private final Conv2d conv1;
  private final Linear timeEmbProj;
  private final GroupNorm norm2;
  private final Conv2d conv2;
  private final Conv2d shortcut;

  /**
   * @param tembChannels width of the time embedding, or 0 for none (VAE)
   */
  public ResnetBlock(Params p, long in, long out, long tembChannels, int groups, double eps) {
    norm1 = new GroupNorm(p.sub("norm1"), groups, in, eps);
    conv1 = new Conv2d(p.sub("conv1"), in, out, 3, 1, 1);
    timeEmbProj = tembChannels > 0 ? new Linear(p.sub("time_emb_proj"), tembChannels, out, true) : null;
    norm2 = new GroupNorm(p.sub("norm2"), groups, out, eps);
    conv2 = new Conv2d(p.sub("conv2"), out, out, 3, 1, 1);
    shortcut = in != out ? new Conv2d(p.sub("conv_shortcut"), in, out, 1, 1, 0) : null;
  }

  /**
   * @param temb the time embedding {@code [B, tembChannels]}, or null without one
   */
  public Tensor forward(Tensor x, Tensor temb) {
    Tensor h = conv1.forward(torch.silu(norm1.forward(x)));
    if (timeEmbProj != null && temb != null) {
      h = h.add(timeEmbProj.forward(torch.silu(temb)).unsqueeze(2).unsqueeze(3));
    }
    h = conv2.forward(torch.silu(norm2.forward(h)));
    Tensor skip = shortcut == null ? x : shortcut.forward(x);
    return skip.add(h);
  }
}
