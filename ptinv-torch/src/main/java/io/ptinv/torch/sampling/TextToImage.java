package io.ptinv.torch.sampling;

import io.ptinv.InvalidInputException;
import io.ptinv.ProgressListener;
import io.ptinv.Stage;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.runtime.Scopes;
import io.ptinv.torch.unet.AttentionControl;
import io.ptinv.torch.unet.Conditioning;
import java.awt.image.BufferedImage;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/** Text-to-image sampling: seeded starting latent ({@link InitialNoise}), DDIM with classifier-free guidance, VAE decode. */
public final class TextToImage {
  private TextToImage() {}

  /** {@link #generate(StableDiffusion, String, String, int, double, long, int, int, InitialNoise, ProgressListener)} from Gaussian noise. */
  public static BufferedImage generate(StableDiffusion model, String prompt, String negativePrompt, int steps,
      double guidanceScale, long seed, int width, int height, ProgressListener listener) {
    return generate(model, prompt, negativePrompt, steps, guidanceScale, seed, width, height, InitialNoise.GAUSSIAN, listener);
  }

  /**
   * @param negativePrompt the unconditional prompt ("" for plain CFG)
   * @param width image width, a multiple of the VAE's downsampling factor
   * @param height image height, likewise
   * @param noise how the starting latent is drawn from {@code seed}
   */
  public static BufferedImage generate(StableDiffusion model, String prompt, String negativePrompt, int steps,
      double guidanceScale, long seed, int width, int height, InitialNoise noise, ProgressListener listener) {
    int f = model.vae().config().downsamplingFactor();
    InvalidInputException.check(width > 0 && width % f == 0, "width", "a positive multiple of " + f, width);
    InvalidInputException.check(height > 0 && height % f == 0, "height", "a positive multiple of " + f, height);
    DdimScheduler ddim = new DdimScheduler(model.schedule(), steps);
    StageProgress progress = new StageProgress(listener);
    try (PointerScope run = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
      Tensor cond = model.encodePrompt(prompt);
      Tensor uncond = model.encodePrompt(negativePrompt);
      long channels = model.unet().config().inChannels();
      Tensor z = noise.sample(seed, 1, channels, height / f, width / f)
          .to(model.device().toTorch(), model.precision().scalarType());
      int[] ts = ddim.timesteps();
      progress.stage(Stage.GENERATE, ts.length);
      for (int i = 0; i < ts.length; i++) {
        int t = ts[i];
        Tensor current = z;
        z = Scopes.returning(() -> ddim.step(current, Guidance.eps(model.unet(), current, t, uncond,
            Conditioning.shared(cond), guidanceScale, AttentionControl.NONE), t));
        progress.step();
      }
      return model.decodeImage(z);
    }
  }
}
