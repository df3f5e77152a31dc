package io.ptinv.examples.bench;

import io.ptinv.EditOptions;
import io.ptinv.InvalidInputException;
import io.ptinv.examples.shapes.Palette;
import io.ptinv.examples.shapes.ShapeSample;
import io.ptinv.examples.shapes.ShapesDataset;
import io.ptinv.torch.editing.PtiEditor;
import io.ptinv.torch.runtime.NativeMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A soak test: many edits in one process (optionally from several threads sharing one editor), the resident set
 * read after each. It passes when the median RSS of the last quarter of the edits is at most {@link #MAX_GROWTH}
 * above the median of the second quarter (the first quarter is warm-up: allocator pools, JIT, LibTorch caches).
 */
public final class Soak {
  /** Allowed growth of the last quarter's median RSS over the second quarter's. */
  public static final double MAX_GROWTH = 0.02;

  /**
   * The outcome.
   *
   * @param rss resident bytes after each edit, in completion order
   * @param secondQuarter median RSS of edits n/4 .. n/2
   * @param lastQuarter median RSS of the last n/4 edits
   * @param seconds wall time of all edits
   */
  public record Result(long[] rss, long secondQuarter, long lastQuarter, double seconds) {
    public double growth() {
      return (double) lastQuarter / secondQuarter - 1;
    }

    public boolean passed() {
      return growth() <= MAX_GROWTH;
    }
  }

  private Soak() {}

  /**
   * Runs {@code edits} edits of seeded shapes images on {@code threads} threads sharing {@code editor}; {@code
   * report} sees each completed edit's number (1-based) and RSS.
   */
  public static Result run(PtiEditor editor, EditOptions options, int edits, int threads, ReportListener report) {
    InvalidInputException.check(edits >= 8, "edits", "at least 8 (four quarters of two)", edits);
    InvalidInputException.check(threads >= 1, "threads", "at least 1", threads);
    ShapesDataset data = new ShapesDataset(2024);
    long[] rss = new long[edits];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < edits; i = next.getAndIncrement()) {
            ShapeSample s = data.sample(i);
            editor.edit(s.image(), ShapeSample.caption(otherColor(s.color()), s.shape(), s.background()), options);
            long bytes = NativeMemory.residentBytes();
            int n = done.incrementAndGet();
            synchronized (rss) {
              rss[n - 1] = bytes;
            }
            report.edited(n, bytes);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.ptinv.CancelledException("soak interrupted");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return judge(rss, (System.nanoTime() - t0) / 1e9);
  }

  private static Palette otherColor(Palette c) {
    Palette[] all = Palette.values();
    return all[(c.ordinal() + 1) % all.length];
  }

  /** The verdict on a series of RSS readings (at least 8). */
  public static Result judge(long[] rss, double seconds) {
    int q = rss.length / 4;
    return new Result(rss.clone(), median(rss, q, 2 * q), median(rss, rss.length - q, rss.length), seconds);
  }

  private static long median(long[] v, int from, int to) {
    long[] part = Arrays.copyOfRange(v, from, to);
    Arrays.sort(part);
    return part[part.length / 2];
  }

  /** Sees each completed edit. */
  @FunctionalInterface
  public interface ReportListener {
    void edited(int number, long residentBytes);

    static ReportListener of(Consumer<String> lines, int every) {
      return (n, bytes) -> {
        if (n % every == 0) {
          lines.accept(String.format(java.util.Locale.ROOT, "edit %5d  RSS %8.1f MiB", n, bytes / 1048576.0));
        }
      };
    }
  }
}
