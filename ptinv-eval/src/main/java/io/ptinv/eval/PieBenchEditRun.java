package io.ptinv.eval;

import io.ptinv.EditOptions;
import io.ptinv.InversionMethod;
import io.ptinv.ProgressListener;
import io.ptinv.PtinvException;
import io.ptinv.Stage;
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
 * exists; a bad entry is reported and skipped. Several etas can be edited from one inversion, each into its own folder,
 * and every entry's stages are timed. An edit made at another size (a model whose size differs from the
 * dataset's) is resized back to the source's size (bicubic) before it is written.
 */
public final class PieBenchEditRun {
  /**
   * @param seconds entry id → seconds to invert and edit it (entries edited in this run; every eta of a sweep)
   * @param stageSeconds entry id → seconds per stage ({@link StageTimer}; the edit and decode stages summed over etas)
   * @param failed entry id → why it was skipped
   */
  public record Result(Map<String, Double> seconds, Map<String, Map<Stage, Double>> stageSeconds,
      Map<String, String> failed) {}

  private PieBenchEditRun() {}

  /**
   * Edits at {@code options.eta()} into one folder.
   *
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
    return run(editor, entries, imagesDir, Map.of(options.eta(), editedDir), options, progress);
  }

  /**
   * Edits each entry at several etas from one inversion (a trade-off sweep), each eta into its own folder.
   *
   * @param editedDirs eta → where its edits go (same relative paths); an entry is done when every folder has it
   * @param options method, steps, guidance... ({@code options.eta()} is not used)
   */
  public static Result run(PtiEditor editor, List<PieBenchEntry> entries, Path imagesDir, Map<Double, Path> editedDirs,
      EditOptions options, IntConsumer progress) {
    List<Double> etas = List.copyOf(editedDirs.keySet());
    Map<String, Double> seconds = new LinkedHashMap<>();
    Map<String, Map<Stage, Double>> stages = new LinkedHashMap<>();
    Map<String, String> failed = new LinkedHashMap<>();
    int done = 0;
    for (PieBenchEntry e : entries) {
      List<Path> outs = etas.stream().map(eta -> editedDirs.get(eta).resolve(e.imagePath())).toList();
      if (!outs.stream().allMatch(Files::isRegularFile)) {
        try {
          BufferedImage source = Images.read(imagesDir.resolve(e.imagePath()));
          long t0 = System.nanoTime();
          StageTimer timer = new StageTimer();
          boolean pti = options.inversion().method() == InversionMethod.PTI;
          String invertPrompt = pti ? e.cleanEditingPrompt() : e.cleanOriginalPrompt();
          List<BufferedImage> edited;
          boolean todinv = options.inversion().method() == InversionMethod.TODINV;
          try (TorchTrajectory t = todinv
              ? editor.invert(source, invertPrompt, e.cleanEditingPrompt(), options.inversion(), timer)
              : editor.invert(source, invertPrompt, options.inversion(), timer)) {
            edited = editor.edits(t, e.cleanEditingPrompt(), etas, options, timer);
          }
          seconds.put(e.key(), (System.nanoTime() - t0) / 1e9);
          stages.put(e.key(), timer.seconds());
          for (int i = 0; i < etas.size(); i++) {
            BufferedImage img = edited.get(i);
            if (img.getWidth() != source.getWidth() || img.getHeight() != source.getHeight()) {
              // a model of another size: the edit is scored at the dataset's size, as PIE-Bench's outputs are
              img = Images.resize(img, source.getWidth(), source.getHeight());
            }
            Images.write(img, outs.get(i));
          }
        } catch (PtinvException | UncheckedIOException ex) {
          failed.put(e.key(), ex.getMessage());
        }
      }
      progress.accept(++done);
    }
    return new Result(seconds, stages, failed);
  }
}
