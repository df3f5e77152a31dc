package io.ptinv;

import java.awt.image.BufferedImage;

/**
 * Turns a real image into an {@link EmbeddingTrajectory}: DDIM inversion of its latent, then per-timestep
 * tuning of the text condition so that sampling reproduces the image. Holds a model's native weights:
 * close it when done.
 */
public interface Inverter extends AutoCloseable {

  /**
   * @param image any size or colour model; brought to the model's size by {@link InversionOptions#sizePolicy()}
   * @param prompt the prompt whose embedding is tuned (PTI: the target prompt c*; NTI: the source prompt)
   */
  EmbeddingTrajectory invert(
      BufferedImage image, String prompt, InversionOptions options, ProgressListener listener);

  /**
   * Inverts and tunes with the default options.
   * @param image any size or colour model
   * @param prompt the prompt whose embedding is tuned
   * @return the trajectory; close it when done
   */
  default EmbeddingTrajectory invert(BufferedImage image, String prompt) {
    return invert(image, prompt, InversionOptions.defaults(), ProgressListener.NONE);
  }

  @Override
  void close();
}
