package io.ptinv.examples.api;

import io.ptinv.ProgressListener;
import io.ptinv.image.Images;
import io.ptinv.torch.editing.PtiEditor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * PTI's trade-off curve: the image is inverted and tuned once, then edited at several etas (0 reconstructs, 1 is
 * plain DDIM editing), one PNG per eta.
 *
 * <pre>SweepEta MODEL IMAGE PROMPT OUTPUT_DIR [ETA,ETA,...]</pre>
 */
public final class SweepEta {
  private SweepEta() {}

  public static void main(String[] args) {
    Usage.check(args, 4, "SweepEta MODEL IMAGE PROMPT OUTPUT_DIR [ETA,ETA,...]");
    List<Double> etas = args.length > 4
        ? Arrays.stream(args[4].split(",")).map(String::trim).map(Double::valueOf).toList()
        : List.of(0.0, 0.5, 0.7, 0.9, 1.0);
    try (PtiEditor editor = PtiEditor.load(Path.of(args[0]))) {
      BufferedImage input = Images.read(Path.of(args[1]));
      List<BufferedImage> edits = editor.sweep(input, args[2], editor.recommendedOptions(), etas, ProgressListener.NONE);
      for (int i = 0; i < etas.size(); i++) {
        Images.write(edits.get(i), Path.of(args[3]).resolve(String.format(Locale.ROOT, "eta-%.2f.png", etas.get(i))));
      }
    }
  }
}
