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

  /**
   * The options this editor recommends for its model (e.g. a model folder's {@code ptinv.json}); the paper's defaults
   * ({@link EditOptions#defaults()}) unless an implementation knows better.
   */
  default EditOptions recommendedOptions() {
    return EditOptions.defaults();
  }

  /** Inverts, tunes and edits with the {@link #recommendedOptions() recommended options}. */
  default BufferedImage edit(BufferedImage image, String prompt) {
    return edit(image, prompt, recommendedOptions(), ProgressListener.NONE);
  }

  /** Inverts, tunes and edits with the recommended options and the given {@code eta} in [0, 1]. */
  default BufferedImage edit(BufferedImage image, String prompt, double eta) {
    EditOptions.checkEta(eta);
    return edit(image, prompt, recommendedOptions().withEta(eta), ProgressListener.NONE);
  }

  /**
   * Inverts, tunes and edits with {@code options}, without progress reports.
   * @param image any size or colour model
   * @param prompt the target prompt
   * @param options how to invert and edit
   * @return the edited image
   */
  default BufferedImage edit(BufferedImage image, String prompt, EditOptions options) {
    return edit(image, prompt, options, ProgressListener.NONE);
  }

  /**
   * Edits a trajectory made earlier, without progress reports.
   * @param trajectory made or loaded by this backend
   * @param prompt the target prompt
   * @param eta the interpolation weight in [0, 1]
   * @return the edited image
   */
  default BufferedImage edit(EmbeddingTrajectory trajectory, String prompt, double eta) {
    return edit(trajectory, prompt, eta, ProgressListener.NONE);
  }

  @Override
  void close();
}
