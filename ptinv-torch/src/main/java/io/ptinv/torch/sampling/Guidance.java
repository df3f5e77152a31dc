package io.ptinv.torch.sampling;

import io.ptinv.torch.unet.AttentionControl;
import io.ptinv.torch.unet.Conditioning;
import io.ptinv.torch.unet.UNet2DConditionModel;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Classifier-free guidance {@code eps = eps_u + w (eps_c - eps_u)} (Ho and Salimans 2022) with the
 * unconditional and conditional halves in one batched UNet call.
 */
public final class Guidance {
  private Guidance() {}

  /**
   * @param uncond the unconditional context {@code [1, 77, D]}
   * @param cond the conditional context: shared {@code [1, 77, D]} or one per cross-attention layer
   * @param w guidance scale; {@code w = 1} is the conditional prediction alone
   */
  public static Tensor eps(UNet2DConditionModel unet, Tensor z, int t, Tensor uncond, Conditioning cond, double w,
      AttentionControl control) {
    Tensor batch = torch.cat(new TensorVector(z, z), 0);
    Conditioning both;
    if (cond.isPerLayer()) {
      List<Tensor> contexts = new ArrayList<>();
      for (int i = 0; i < unet.crossAttentionLayers().size(); i++) {
        contexts.add(torch.cat(new TensorVector(uncond, cond.context(i)), 0));
      }
      both = Conditioning.perLayer(contexts);
    } else {
      both = Conditioning.shared(torch.cat(new TensorVector(uncond, cond.context(0)), 0));
    }
    TensorVector halves = unet.forward(batch, t, both, control).chunk(2, 0);
    Tensor epsU = halves.get(0);
    Tensor epsC = halves.get(1);
    return combine(epsU, epsC, w);
  }

  /** {@code eps_u + w (eps_c - eps_u)}. */
  public static Tensor combine(Tensor epsU, Tensor epsC, double w) {
    return epsU.add(epsC.sub(epsU).mul(new Scalar(w)));
  }

  /**
   * The guided prediction from two batch-1 UNet calls. Inversion, tuning and editing all use this form, so
   * that an edit with eta = 0 repeats the tuning loop's reconstruction op for op. The control sees the
   * conditional call only (as Prompt-to-Prompt edits only the conditional half of the batch).
   */
  public static Tensor epsSeparate(UNet2DConditionModel unet, Tensor z, int t, Tensor uncond, Tensor cond, double w,
      AttentionControl control) {
    return epsSeparate(unet, z, t, uncond, Conditioning.shared(cond), w, control);
  }

  /** {@link #epsSeparate(UNet2DConditionModel, Tensor, int, Tensor, Tensor, double, AttentionControl)} for a
   * shared or per-layer condition. */
  public static Tensor epsSeparate(UNet2DConditionModel unet, Tensor z, int t, Tensor uncond, Conditioning cond,
      double w, AttentionControl control) {
    Tensor epsU = unet.forward(z, t, Conditioning.shared(uncond));
    Tensor epsC = unet.forward(z, t, cond, control);
    return combine(epsU, epsC, w);
  }
}
