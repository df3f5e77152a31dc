package io.ptinv.torch.vae;

import io.ptinv.torch.nn.Params;
import io.ptinv.torch.nn.ResnetBlock;
import org.bytedeco.pytorch.Tensor;

/** ResNet, attention, ResNet at the VAE's lowest resolution. */
final class VaeMidBlock {
  private final ResnetBlock resnet0;
  private final VaeAttention attention;
  private final ResnetBlock resnet1;

  VaeMidBlock(Params p, long channels, int groups) {
    resnet0 = new ResnetBlock(p.sub("resnets.0"), channels, channels, 0, groups, 1e-6);
    attention = new VaeAttention(p.sub("attentions.0"), channels, groups);
    resnet1 = new ResnetBlock(p.sub("resnets.1"), channels, channels, 0, groups, 1e-6);
  }

  Tensor forward(Tensor x) {
    return resnet1.forward(attention.forward(resnet0.forward(x, null)), null);
  }
}
