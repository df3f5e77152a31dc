package io.ptinv.torch.sampling;

import io.ptinv.CancelledException;
import io.ptinv.ProgressEvent;
import io.ptinv.ProgressListener;
import io.ptinv.Stage;
import java.time.Duration;
import java.util.Locale;

/**
 * Stage bookkeeping for a {@link ProgressListener}: reports each step and throws {@link CancelledException}
 * as soon as the listener says stop, so that a run ends within one UNet call and its scopes free its memory.
 */
public final class StageProgress {
  private final ProgressListener listener;
  private Stage stage = Stage.OTHER;
  private int total;
  private int done;
  private long start = System.nanoTime();

  public StageProgress(ProgressListener listener) {
    this.listener = io.ptinv.InvalidInputException.requireNonNull(listener, "listener");
  }

  /** Starts a stage of {@code steps} steps. */
  public void stage(Stage s, int steps) {
    stage = s;
    total = steps;
    done = 0;
    start = System.nanoTime();
  }

  public void step() {
    advanceTo(done + 1);
  }

  /** Reports {@code step} steps of the stage done and asks the listener whether to go on. */
  public void advanceTo(int step) {
    done = step;
    ProgressEvent e = new ProgressEvent(stage, done, total, Duration.ofNanos(System.nanoTime() - start));
    if (Thread.currentThread().isInterrupted()) {
      // JVM convention: interruption cancels; the flag stays set for the caller to see
      throw new CancelledException(stage.name().toLowerCase(Locale.ROOT) + " interrupted at step " + done + " of " + total);
    }
    if (!listener.onProgress(e)) {
      throw new CancelledException(stage.name().toLowerCase(Locale.ROOT) + " cancelled at step " + done + " of " + total);
    }
  }
}
