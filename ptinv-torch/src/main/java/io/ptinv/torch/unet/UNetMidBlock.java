package io.ptinv.torch.unet;

import io.ptinv.torch.nn.Params;
import io.ptinv.torch.nn.ResnetBlock;
import org.bytedeco.pytorch.Tensor;

/** UNetMidBlock2DCrossAttn: ResNet, transformer, ResNet at the lowest resolution. */
final class UNetMidBlock {
  private final ResnetBlock resnet0;
  private final Transformer2D attention;
  private final ResnetBlock resnet1;

  UNetMidBlock(Params p, UNetConfig c, long channels, int crossIndex) {
    int n = c.blockOutChannels().size();
    resnet0 = new ResnetBlock(p.sub("resnets.0"), channels, channels, c.timeEmbedDim(), c.normNumGroups(), c.normEps());
    attention = new Transformer2D(p.sub("attentions.0"), "mid_block.attentions.0", channels, c.heads().get(n - 1),
        c.crossAttentionDim(), c.normNumGroups(), c.useLinearProjection(), crossIndex, n - 1);
    resnet1 = new ResnetBlock(p.sub("resnets.1"), channels, channels, c.timeEmbedDim(), c.normNumGroups(), c.normEps());
  }

  Transformer2D attention() {
    return attention;
  }

  Tensor forward(Tensor h, Tensor temb, Conditioning cond, AttentionControl control) {
    h = resnet0.forward(h, temb);
    h = attention.forward(h, cond.context(attention.crossSite().crossIndex()), control);
    return resnet1.forward(h, temb);
  }
}
