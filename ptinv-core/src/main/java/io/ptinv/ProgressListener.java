package io.ptinv;

/**
 * Receives progress and may cancel. Called on the thread doing the work after each unit of work (one
 * UNet call or optimiser step); return {@code false} to cancel, and the run stops before the next unit,
 * frees its native memory and throws {@link CancelledException}.
 */
@FunctionalInterface
public interface ProgressListener {

  /** Ignores every event and never cancels. */
  ProgressListener NONE = event -> true;

  /**
   * @return {@code true} to continue, {@code false} to cancel the run
   */
  boolean onProgress(ProgressEvent event);
}
