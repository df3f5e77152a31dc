package io.ptinv.examples.api;

import io.ptinv.PtinvException;
import io.ptinv.image.Images;
import io.ptinv.torch.editing.PtiEditor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;

/**
 * Edits every image of a folder towards one prompt with one loaded model, with a progress bar; an image that
 * cannot be read is reported and skipped, the others go on.
 *
 * <pre>BatchEdit MODEL INPUT_DIR PROMPT OUTPUT_DIR</pre>
 */
public final class BatchEdit {
  private BatchEdit() {}

  public static void main(String[] args) {
    Usage.check(args, 4, "BatchEdit MODEL INPUT_DIR PROMPT OUTPUT_DIR");
    List<Path> images;
    try (Stream<Path> files = Files.list(Path.of(args[1]))) {
      images = files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g|bmp|gif)"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + args[1], e);
    }
    Path out = Path.of(args[3]);
    try (PtiEditor editor = PtiEditor.load(Path.of(args[0]));
        ProgressBar bar = new ProgressBar("edit", images.size())) {
      for (Path image : images) {
        try {
          Images.write(editor.edit(Images.read(image), args[2]), out.resolve(image.getFileName().toString()
              .replaceFirst("\\.[^.]+$", "") + ".png"));
        } catch (PtinvException e) {
          System.err.println("skipped " + image + ": " + e.getMessage());
        }
        bar.step();
      }
    }
  }
}
