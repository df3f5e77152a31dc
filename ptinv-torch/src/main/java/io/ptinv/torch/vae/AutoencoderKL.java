package io.ptinv.torch.vae;

import io.ptinv.InvalidInputException;
import io.ptinv.torch.nn.Conv2d;
import io.ptinv.torch.nn.Params;
import java.util.Arrays;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * Stable Diffusion's KL autoencoder. {@link #encode} gives the posterior mean and log-variance; the latent
 * the diffusion model works on is {@code mean * scaling_factor} ({@link #encodeLatent}); {@link
 * #decodeLatent} undoes the scaling and decodes.
 */
public final class AutoencoderKL {
  private final VaeConfig config;
  private final VaeEncoder encoder;
  private final VaeDecoder decoder;
  private final Conv2d quantConv;
  private final Conv2d postQuantConv;

  public AutoencoderKL(Params p, VaeConfig config) {
    this.config = config;
    long lat = config.latentChannels();
    encoder = new VaeEncoder(p.sub("encoder"), config);
    decoder = new VaeDecoder(p.sub("decoder"), config);
    quantConv = new Conv2d(p.sub("quant_conv"), 2 * lat, 2 * lat, 1, 1, 0);
    postQuantConv = new Conv2d(p.sub("post_quant_conv"), lat, lat, 1, 1, 0);
  }

  public VaeConfig config() {
    return config;
  }

  /** The posterior's (mean, logvar) for an image in [-1, 1] whose sides are multiples of the downsampling factor. */
  public Posterior encode(Tensor image) {
    long[] s = image.shape();
    int f = config.downsamplingFactor();
    InvalidInputException.check(
        s.length == 4 && s[1] == config.inChannels() && s[2] % f == 0 && s[3] % f == 0,
        "image",
        "[B, " + config.inChannels() + ", H, W] with H, W multiples of " + f,
        Arrays.toString(s));
    TensorVector moments = quantConv.forward(encoder.forward(image)).chunk(2, 1);
    return new Posterior(moments.get(0), moments.get(1));
  }

  /** {@code mean * scaling_factor}: the latent z_0 the diffusion model sees. */
  public Tensor encodeLatent(Tensor image) {
    return encode(image).mean().mul(new Scalar(config.scalingFactor()));
  }

  /** Decodes a latent given unscaled ({@code z / scaling_factor} applied here). */
  public Tensor decodeLatent(Tensor latent) {
    return decode(latent.div(new Scalar(config.scalingFactor())));
  }

  /** Decodes an unscaled latent. */
  public Tensor decode(Tensor z) {
    return decoder.forward(postQuantConv.forward(z));
  }

  /** A diagonal Gaussian posterior. */
  public record Posterior(Tensor mean, Tensor logvar) {}
}
