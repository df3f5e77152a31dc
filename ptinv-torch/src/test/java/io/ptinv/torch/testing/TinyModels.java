package io.ptinv.torch.testing;

import com.fasterxml.jackson.databind.node.IntNode;
import io.ptinv.torch.nn.RandomParams;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.unet.UNet2DConditionModel;
import io.ptinv.torch.unet.UNetConfig;
import java.util.List;

/** Small random-weight models with SD v1's block structure, built in tests. */
public final class TinyModels {
  private TinyModels() {}

  /** A UNet with channels (32, 32, 64, 64), 1 layer per block, 4 heads, context width 16. */
  public static UNetConfig unetConfig() {
    return new UNetConfig(4, 4, 8, List.of(32, 32, 64, 64),
        List.of("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
        List.of("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
        1, IntNode.valueOf(4), null, 16, 32, 1e-5, true, 0, false);
  }

  /** Build inside a PointerScope; the returned store owns the weights. */
  public static UNet2DConditionModel unet(RandomParams params) {
    return new UNet2DConditionModel(params, unetConfig());
  }

  public static RandomParams params(long seed) {
    return new RandomParams(seed, ComputeDevice.CPU, Precision.FP32);
  }
}
