package io.ptinv.torch.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ptinv.CancelledException;
import io.ptinv.ClosedException;
import io.ptinv.EditOptions;
import io.ptinv.EmbeddingTrajectory;
import io.ptinv.InvalidInputException;
import io.ptinv.InversionOptions;
import io.ptinv.ProgressListener;
import io.ptinv.torch.LoadOptions;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.testing.Golden;
import java.awt.image.BufferedImage;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Closing under a running edit, interruption, and arguments checked at the API boundary. */
class EditorLifecycleTest {
  private static final EditOptions FAST = EditOptions.builder().steps(4).eta(0.5).build();
  private static final BufferedImage IMAGE = PtiEditorTest.drawing();

  private static PtiEditor newEditor() {
    return new PtiEditor(StableDiffusion.load(Golden.tinyModel(), new LoadOptions(ComputeDevice.CPU, Precision.FP32,
        null, null)), true);
  }

  @Test
  void closeWaitsForTheRunningEditAndLaterCallsFailTyped() throws Exception {
    PtiEditor editor = newEditor();
    CountDownLatch started = new CountDownLatch(1);
    AtomicLong editEnded = new AtomicLong();
    ProgressListener slow = e -> {
      started.countDown();
      try {
        Thread.sleep(20); // keep the edit running while close() is called
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      return true;
    };
    CompletableFuture<BufferedImage> running = CompletableFuture.supplyAsync(() -> {
      BufferedImage out = editor.edit(IMAGE, "a red circle", FAST, slow);
      editEnded.set(System.nanoTime());
      return out;
    });
    assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
    editor.close();
    long closeReturned = System.nanoTime();
    BufferedImage result = running.get(60, TimeUnit.SECONDS); // completed normally: no weights freed under it
    assertThat(result.getWidth()).isEqualTo(128);
    assertThat(editEnded.get()).as("the edit ended before close() returned").isPositive().isLessThanOrEqualTo(closeReturned);
    assertThatThrownBy(() -> editor.edit(IMAGE, "a red circle", FAST)).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> editor.model().encodePrompt("x")).isInstanceOf(ClosedException.class);
    editor.close(); // idempotent
  }

  @Test
  void interruptingTheCallingThreadCancelsTheEdit() throws Exception {
    try (PtiEditor editor = newEditor()) {
      CountDownLatch started = new CountDownLatch(1);
      AtomicBoolean flagAfter = new AtomicBoolean();
      Thread worker = new Thread(() -> {
        try {
          editor.edit(IMAGE, "a red circle", EditOptions.builder().steps(40).build(), e -> {
            started.countDown();
            return true;
          });
        } catch (CancelledException expected) {
          flagAfter.set(Thread.currentThread().isInterrupted());
          return;
        }
        throw new AssertionError("the edit was not cancelled");
      });
      AtomicBoolean failed = new AtomicBoolean();
      worker.setUncaughtExceptionHandler((t, e) -> failed.set(true));
      worker.start();
      assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
      long t0 = System.nanoTime();
      worker.interrupt();
      worker.join(60_000);
      assertThat(worker.isAlive()).isFalse();
      assertThat(failed).as("the worker saw CancelledException").isFalse();
      assertThat(flagAfter).as("the interrupt flag stays set").isTrue();
      assertThat((System.nanoTime() - t0) / 1e9).as("seconds to stop (40 steps take far longer)").isLessThan(10);
      // the editor is still usable
      assertThat(editor.edit(IMAGE, "a red circle", FAST).getWidth()).isEqualTo(128);
    }
  }

  @Test
  void nullArgumentsAreNamedBeforeAnyWork() {
    try (PtiEditor editor = newEditor()) {
      assertThatThrownBy(() -> editor.edit((BufferedImage) null, "p", FAST, ProgressListener.NONE))
          .isInstanceOf(InvalidInputException.class).hasMessage("image: must not be null");
      assertThatThrownBy(() -> editor.edit(IMAGE, null, FAST, ProgressListener.NONE))
          .isInstanceOf(InvalidInputException.class).hasMessage("prompt: must not be null");
      assertThatThrownBy(() -> editor.edit(IMAGE, "p", (EditOptions) null, ProgressListener.NONE))
          .isInstanceOf(InvalidInputException.class).hasMessage("options: must not be null");
      assertThatThrownBy(() -> editor.edit(IMAGE, "p", FAST, null))
          .isInstanceOf(InvalidInputException.class).hasMessage("listener: must not be null");
      assertThatThrownBy(() -> editor.invert(IMAGE, "p", (InversionOptions) null, ProgressListener.NONE))
          .isInstanceOf(InvalidInputException.class).hasMessage("options: must not be null");
      assertThatThrownBy(() -> editor.edit((EmbeddingTrajectory) null, "p", 0.5, ProgressListener.NONE))
          .isInstanceOf(InvalidInputException.class).hasMessage("trajectory: must not be null");
      assertThatThrownBy(() -> editor.sweep(IMAGE, "p", FAST, List.of(), ProgressListener.NONE))
          .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("etas: ");
      assertThatThrownBy(() -> EditOptions.builder().localBlend(null)).isInstanceOf(InvalidInputException.class)
          .hasMessage("localBlend: must not be null");
      // a trajectory implemented elsewhere: typed error, not an NPE from its null fields
      EmbeddingTrajectory foreign = (EmbeddingTrajectory) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {EmbeddingTrajectory.class}, (proxy, method, args) -> null);
      assertThatThrownBy(() -> editor.edit(foreign, "p", 0.5, ProgressListener.NONE))
          .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("trajectory: expected one made or loaded by");
    }
  }
}
