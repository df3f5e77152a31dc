package io.ptinv.torch.vae;

import io.ptinv.torch.nn.Conv2d;
import io.ptinv.torch.nn.GroupNorm;
import io.ptinv.torch.nn.Params;
import io.ptinv.torch.nn.ResnetBlock;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** AutoencoderKL's encoder: image {@code [B, 3, H, W]} to the posterior moments {@code [B, 2*latent, H/f, W/f]}. */
final class VaeEncoder {
  private final Conv2d convIn;
  private final List<List<ResnetBlock>> blocks = new ArrayList<>();
  private final List<Conv2d> downsamplers = new ArrayList<>();
  private final VaeMidBlock mid;
  private final GroupNorm normOut;
  private final Conv2d convOut;

  VaeEncoder(Params p, VaeConfig c) {
    List<Integer> ch = c.blockOutChannels();
    int g = c.normNumGroups();
    convIn = new Conv2d(p.sub("conv_in"), c.inChannels(), ch.get(0), 3, 1, 1);
    long out = ch.get(0);
    for (int i = 0; i < ch.size(); i++) {
      long in = out;
      out = ch.get(i);
      Params bp = p.sub("down_blocks", i);
      List<ResnetBlock> resnets = new ArrayList<>();
      for (int j = 0; j < c.layersPerBlock(); j++) {
        resnets.add(new ResnetBlock(bp.sub("resnets", j), j == 0 ? in : out, out, 0, g, 1e-6));
      }
      blocks.add(resnets);
      boolean last = i == ch.size() - 1;
      // stride-2 conv without padding after an asymmetric (0, 1, 0, 1) pad
      downsamplers.add(last ? null : new Conv2d(bp.sub("downsamplers.0.conv"), out, out, 3, 2, 0));
    }
    mid = new VaeMidBlock(p.sub("mid_block"), out, g);
    normOut = new GroupNorm(p.sub("conv_norm_out"), g, out, 1e-6);
    convOut = new Conv2d(p.sub("conv_out"), out, 2L * c.latentChannels(), 3, 1, 1);
  }

  Tensor forward(Tensor x) {
    Tensor h = convIn.forward(x);
    for (int i = 0; i < blocks.size(); i++) {
      for (ResnetBlock r : blocks.get(i)) {
        h = r.forward(h, null);
      }
      if (downsamplers.get(i) != null) {
        h = downsamplers.get(i).forward(torch.constant_pad_nd(h, 0, 1, 0, 1));
      }
    }
    h = mid.forward(h);
    return convOut.forward(torch.silu(normOut.forward(h)));
  }
}
