package io.ptinv.torch.vae;

import io.ptinv.torch.nn.Conv2d;
import io.ptinv.torch.nn.GroupNorm;
import io.ptinv.torch.nn.Params;
import io.ptinv.torch.nn.ResnetBlock;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** AutoencoderKL's decoder: latent {@code [B, latent, h, w]} to image {@code [B, 3, h*f, w*f]}. */
final class VaeDecoder {
  private final Conv2d convIn;
  private final VaeMidBlock mid;
  private final List<List<ResnetBlock>> blocks = new ArrayList<>();
  private final List<Conv2d> upsamplers = new ArrayList<>();
  private final GroupNorm normOut;
  private final Conv2d convOut;

  VaeDecoder(Params p, VaeConfig c) {
    List<Integer> ch = c.blockOutChannels();
    int g = c.normNumGroups();
    int n = ch.size();
    long out = ch.get(n - 1);
    convIn = new Conv2d(p.sub("conv_in"), c.latentChannels(), out, 3, 1, 1);
    mid = new VaeMidBlock(p.sub("mid_block"), out, g);
    for (int i = 0; i < n; i++) {
      long prev = out;
      out = ch.get(n - 1 - i);
      Params bp = p.sub("up_blocks", i);
      List<ResnetBlock> resnets = new ArrayList<>();
      for (int j = 0; j < c.layersPerBlock() + 1; j++) {
        resnets.add(new ResnetBlock(bp.sub("resnets", j), j == 0 ? prev : out, out, 0, g, 1e-6));
      }
      blocks.add(resnets);
      upsamplers.add(i == n - 1 ? null : new Conv2d(bp.sub("upsamplers.0.conv"), out, out, 3, 1, 1));
    }
    normOut = new GroupNorm(p.sub("conv_norm_out"), g, out, 1e-6);
    convOut = new Conv2d(p.sub("conv_out"), out, c.outChannels(), 3, 1, 1);
  }

  Tensor forward(Tensor z) {
    Tensor h = mid.forward(convIn.forward(z));
    for (int i = 0; i < blocks.size(); i++) {
      for (ResnetBlock r : blocks.get(i)) {
        h = r.forward(h, null);
      }
      if (upsamplers.get(i) != null) {
        h = upsamplers.get(i).forward(torch.upsample_nearest2d(h, new long[] {h.size(2) * 2, h.size(3) * 2}));
      }
    }
    return convOut.forward(torch.silu(normOut.forward(h)));
  }
}
