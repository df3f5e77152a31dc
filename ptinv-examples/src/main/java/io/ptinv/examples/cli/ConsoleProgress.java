package io.ptinv.examples.cli;

import io.ptinv.ProgressEvent;
import io.ptinv.ProgressListener;
import io.ptinv.Stage;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar with ETA per stage. The first Ctrl-C sets a flag that makes the next callback
 * cancel the run, so that it stops cleanly within one UNet call and frees its memory; a second Ctrl-C
 * exits at once.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
  private static final AtomicBoolean INTERRUPTED = new AtomicBoolean();
  private ProgressBar bar;
  private Stage stage;

  ConsoleProgress() {
    INTERRUPTED.set(false);
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> {
        if (INTERRUPTED.getAndSet(true)) {
          Runtime.getRuntime().halt(130);
        }
        System.err.println();
        System.err.println("ptinv: cancelling after the current step (Ctrl-C again to quit now)");
      });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // no SIGINT on this platform: Ctrl-C ends the JVM as usual
    }
  }

  @Override
  public boolean onProgress(ProgressEvent e) {
    if (bar == null || e.stage() != stage) {
      closeBar();
      stage = e.stage();
      bar = new ProgressBarBuilder()
          .setTaskName(stage.name().toLowerCase(Locale.ROOT))
          .setInitialMax(e.total())
          .setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
          .build();
    }
    bar.stepTo(e.step());
    return !INTERRUPTED.get();
  }

  /**
   * Writes the command's output unless Ctrl-C came first: then nothing is written and the command ends as cancelled
   * (exit 130), as the Ctrl-C message said. A Ctrl-C that arrives while the files are being written is reported
   * as too late to stop them.
   */
  void write(java.nio.file.Path output, Runnable writer) {
    if (INTERRUPTED.get()) {
      throw new io.ptinv.CancelledException("cancelled before writing " + output);
    }
    closeBar();
    writer.run();
    System.err.println(INTERRUPTED.get() ? "ptinv: Ctrl-C came while writing; wrote " + output + " all the same"
        : "wrote " + output);
  }

  /** Whether Ctrl-C was pressed since this instance was made. */
  boolean cancelled() {
    return INTERRUPTED.get();
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public void close() {
    closeBar();
  }
}
