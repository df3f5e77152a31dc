package io.ptinv.torch.inversion;

import io.ptinv.torch.runtime.Scopes;
import io.ptinv.torch.sampling.DdimScheduler;
import io.ptinv.torch.unet.Conditioning;
import io.ptinv.torch.unet.UNet2DConditionModel;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * DDIM inversion with guidance w = 0 (the unconditional prediction alone): {@code z*_0 = z_0}, then for
 * t = 1, 1 + T/n, ..., the inversion step from level {@code t - T/n} to t with eps evaluated at (z, t).
 */
public final class DdimInversion {
  private DdimInversion() {}

  /**
   * @param z0 the image latent (VAE mean x scaling factor)
   * @param uncond the unconditional embedding (the empty prompt's)
   * @param afterEachStep called after every UNet call (progress and cancellation)
   * @return z*_0 .. z*_n, attached to the caller's scope
   */
  public static List<Tensor> invert(UNet2DConditionModel unet, DdimScheduler ddim, Tensor z0, Tensor uncond,
      Runnable afterEachStep) {
    int[] ts = ddim.timesteps();
    List<Tensor> latents = new ArrayList<>(ts.length + 1);
    latents.add(z0);
    try (NoGradGuard noGrad = new NoGradGuard()) {
      for (int i = ts.length - 1; i >= 0; i--) {
        int t = ts[i];
        Tensor z = latents.get(latents.size() - 1);
        latents.add(Scopes.returning(() -> ddim.invertStep(z, unet.forward(z, t, Conditioning.shared(uncond)), t)));
        afterEachStep.run();
      }
    }
    return latents;
  }
}
