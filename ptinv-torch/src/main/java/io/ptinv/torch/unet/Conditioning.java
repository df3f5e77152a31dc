package io.ptinv.torch.unet;

import io.ptinv.InvalidInputException;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * The text condition of a UNet call: one context {@code [B, 77, D]} shared by every cross-attention layer,
 * or a different context per cross-attention layer (TODInv's extended space), indexed in {@link
 * UNet2DConditionModel#crossAttentionLayers()} order.
 */
public final class Conditioning {
  private final Tensor shared;
  private final List<Tensor> perLayer;

  private Conditioning(Tensor shared, List<Tensor> perLayer) {
    this.shared = shared;
    this.perLayer = perLayer;
  }

  public static Conditioning shared(Tensor context) {
    return new Conditioning(context, null);
  }

  public static Conditioning perLayer(List<Tensor> contexts) {
    return new Conditioning(null, List.copyOf(contexts));
  }

  /** One context per cross-attention layer from the rows of {@code stacked [L, 77, D]} (views of it). */
  public static Conditioning perLayerRows(Tensor stacked) {
    List<Tensor> rows = new java.util.ArrayList<>((int) stacked.size(0));
    for (int l = 0; l < stacked.size(0); l++) {
      rows.add(stacked.narrow(0, l, 1));
    }
    return perLayer(rows);
  }

  /**
   * The same condition in scalar type {@code dtype} (differentiable casts; the contexts themselves where they have
   * it already).
   */
  public Conditioning to(org.bytedeco.pytorch.global.torch.ScalarType dtype) {
    if (shared != null) {
      return shared(shared.to(dtype));
    }
    List<Tensor> cast = new java.util.ArrayList<>(perLayer.size());
    for (Tensor t : perLayer) {
      cast.add(t.to(dtype));
    }
    return new Conditioning(null, List.copyOf(cast));
  }

  public boolean isPerLayer() {
    return perLayer != null;
  }

  /** The context cross-attention layer {@code crossIndex} attends to. */
  public Tensor context(int crossIndex) {
    return shared != null ? shared : perLayer.get(crossIndex);
  }

  void checkLayers(int layers) {
    InvalidInputException.check(
        perLayer == null || perLayer.size() == layers, "conditioning", layers + " per-layer contexts",
        perLayer == null ? 1 : perLayer.size());
  }
}
