package io.ptinv.eval;

import io.ptinv.EditOptions;
import io.ptinv.InversionMethod;
import io.ptinv.ProgressListener;
import io.ptinv.PtinvException;
import io.ptinv.image.Images;
import io.ptinv.torch.editing.PtiEditor;
import io.ptinv.torch.inversion.TorchTrajectory;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Edits PIE-Bench entries with one of ptinv's inversions and plain editing (condition interpolation), writing each edit
 * at the entry's image path below an output folder, where {@link PieBenchRun} scores it. DDIM and NTI invert with the
 * source prompt; PTI tunes the target prompt's embedding, as the paper does. A restarted run skips entries whose edit
 * exists; a bad entry is reported and skipped. An edit made at another size (a model whose size differs from the
 * dataset's) is resized back to the source's size (bicubic) before it is written.
 */
public final class PieBenchEditRun {
  /**
   * @param seconds entry id → seconds to invert and edit it (entries edited in this run)
   * @param failed entry id → why it was skipped
   */
  public record Result(Map<String, Double> seconds, Map<String, String> failed) {}

  private PieBenchEditRun() {}

  /**
   * @param editor the loaded model
   * @param entries the entries to edit
   * @param imagesDir the dataset's {@code annotation_images}
   * @param editedDir where the edits go (same relative paths)
   * @param options method, steps, guidance, eta...
   * @param progress sees the number of entries done
   * @return seconds per edited entry and the skipped ones
   */
  public static Result run(PtiEditor editor, List<PieBenchEntry> entries, Path imagesDir, Path editedDir,
      EditOptions options, IntConsumer progress) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    Map<String, String> failed = new LinkedHashMap<>();
    int done = 0;
    for (PieBenchEntry e : entries) {
      Path out = editedDir.resolve(e.imagePath());
      if (!Files.isRegularFile(out)) {
        try {
          BufferedImage source = Images.read(imagesDir.resolve(e.imagePath()));
          long t0 = System.nanoTime();
          boolean pti = options.inversion().method() == InversionMethod.PTI;
          String invertPrompt = pti ? e.cleanEditingPrompt() : e.cleanOriginalPrompt();
          BufferedImage edited;
          boolean todinv = options.inversion().method() == InversionMethod.TODINV;
          try (TorchTrajectory t = todinv
              ? editor.invert(source, invertPrompt, e.cleanEditingPrompt(), options.inversion(), ProgressListener.NONE)
              : editor.invert(source, invertPrompt, options.inversion(), ProgressListener.NONE)) {
            edited = editor.edit(t, e.cleanEditingPrompt(), options, ProgressListener.NONE);
          }
          seconds.put(e.key(), (System.nanoTime() - t0) / 1e9);
          if (edited.getWidth() != source.getWidth() || edited.getHeight() != source.getHeight()) {
            // a model of another size: the edit is scored at the dataset's size, as PIE-Bench's outputs are
            edited = Images.resize(edited, source.getWidth(), source.getHeight());
          }
          Images.write(edited, out);
        } catch (PtinvException | UncheckedIOException ex) {
          failed.put(e.key(), ex.getMessage());
        }
      }
      progress.accept(++done);
    }
    return new Result(seconds, failed);
  }
}
