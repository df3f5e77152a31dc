package io.ptinv;

import java.awt.image.BufferedImage;

/**
 * Text-driven editing of a real image: {@code editor.edit(image, "a yellow car", 0.9)} inverts the image,
 * tunes the condition so the model reproduces it, and samples the edit with
 * {@code (1 - eta) c_t + eta c*}. Holds a model's native weights: close it when done.
 */
public interface Editor extends AutoCloseable {

  /** Inverts, tunes and edits with {@code options}. */
  BufferedImage edit(BufferedImage image, String prompt, EditOptions options, ProgressListener listener);

  /** Edits from a trajectory made earlier (e.g. loaded from a file) without inverting again. */
  BufferedImage edit(EmbeddingTrajectory trajectory, String prompt, double eta, ProgressListener listener);

  /** Inverts, tunes and edits with the default options and the given {@code eta} in [0, 1]. */
  default BufferedImage edit(BufferedImage image, String prompt, double eta) {
    return edit(image, prompt, EditOptions.builder().eta(eta).build(), ProgressListener.NONE);
  }

  default BufferedImage edit(BufferedImage image, String prompt, EditOptions options) {
    return edit(image, prompt, options, ProgressListener.NONE);
  }

  default BufferedImage edit(EmbeddingTrajectory trajectory, String prompt, double eta) {
    return edit(trajectory, prompt, eta, ProgressListener.NONE);
  }

  @Override
  void close();
}
