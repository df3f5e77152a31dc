package io.ptinv.eval;

import io.ptinv.ProgressEvent;
import io.ptinv.ProgressListener;
import io.ptinv.Stage;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A {@link ProgressListener} that times an edit's stages. A stage's time runs from the end of the previous stage (the
 * listener's creation for the first) to its last step, after {@code sync} (a device synchronisation on CUDA, where
 * kernels run after the call that queued them returns), so set-up such as prompt encoding counts with the stage it
 * precedes and the stages add up to the whole call. A stage that runs more than once (one edit per eta) adds up.
 * Optionally forwards every event to another listener (a progress bar, cancellation).
 */
public final class StageTimer implements ProgressListener {
  private final Runnable sync;
  private final ProgressListener next;
  private final Map<Stage, Double> seconds = new EnumMap<>(Stage.class);
  private long last = System.nanoTime();

  /**
   * @param sync waits for the device (e.g. {@code () -> GpuMemory.synchronize(device)}); a no-op on the CPU
   * @param next receives every event after the timer, and decides whether to go on
   */
  public StageTimer(Runnable sync, ProgressListener next) {
    this.sync = sync;
    this.next = next;
  }

  /** A timer for the CPU that forwards nothing. */
  public StageTimer() {
    this(() -> { }, ProgressListener.NONE);
  }

  @Override
  public boolean onProgress(ProgressEvent e) {
    if (e.step() == e.total()) {
      sync.run();
      long now = System.nanoTime();
      seconds.merge(e.stage(), (now - last) / 1e9, Double::sum);
      last = now;
    }
    return next.onProgress(e);
  }

  /** @return seconds per stage that has finished, in pipeline order */
  public Map<Stage, Double> seconds() {
    return Collections.unmodifiableMap(new EnumMap<>(seconds));
  }
}
