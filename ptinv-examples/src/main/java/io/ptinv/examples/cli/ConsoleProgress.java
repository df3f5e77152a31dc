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
 * A terminal progress bar with ETA per stage; Ctrl-C sets a flag that makes the next callback cancel the
 * run, so that it stops cleanly within one UNet call.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
  private final AtomicBoolean interrupted = new AtomicBoolean();
  private final Thread hook;
  private ProgressBar bar;
  private Stage stage;

  ConsoleProgress() {
    hook = new Thread(() -> interrupted.set(true), "ptinv-cancel");
    Runtime.getRuntime().addShutdownHook(hook);
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
    return !interrupted.get();
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
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
  }
}
