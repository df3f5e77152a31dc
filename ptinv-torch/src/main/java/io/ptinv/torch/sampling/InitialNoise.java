package io.ptinv.torch.sampling;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * How text-to-image sampling draws its starting latent x_T.
 *
 * <p>Stable Diffusion's scaled-linear schedule does not reach zero signal: at the last training timestep
 * x_T = sqrt(ᾱ_T) x_0 + sqrt(1 − ᾱ_T) ε with sqrt(ᾱ_T) ≈ 0.068, so a model learns to read the
 * low-frequency part of x_T — above all each channel's spatial mean — as a hint of the image's global
 * colour (Lin et al. 2024, "Common Diffusion Noise Schedules and Sample Steps are Flawed", §3). A standard
 * normal latent of h × w positions has a random mean of standard deviation 1 / sqrt(h w) per channel; for
 * small latents (1/16 at 16 × 16) that is as large as the signal the model learned to read, and the model
 * follows it: the shapes model painted a "red background" orange and an "orange" one yellow. {@link
 * #CENTERED} removes that mean and leaves the global colour to the prompt.
 */
public enum InitialNoise {
  /** Standard normal, as Stable Diffusion samples it. */
  GAUSSIAN,
  /** Standard normal minus each channel's spatial mean: no random global-colour hint. */
  CENTERED;

  /** The seeded starting latent {@code [n, c, h, w]} (CPU, float32). */
  public Tensor sample(long seed, long n, long c, long h, long w) {
    Tensor z = LatentNoise.gaussian(seed, n, c, h, w);
    return this == GAUSSIAN ? z : z.sub(z.mean(new long[] {2, 3}, true, new ScalarTypeOptional()));
  }
}
