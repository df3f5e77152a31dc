package io.ptinv.examples.api;

import io.ptinv.image.Images;
import io.ptinv.torch.editing.PtiEditor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * The smallest complete use of ptinv: load a model, edit one image towards a prompt with the model's recommended
 * settings, write the result.
 *
 * <pre>EditOneImage MODEL IMAGE PROMPT OUTPUT</pre>
 */
public final class EditOneImage {
  private EditOneImage() {}

  public static void main(String[] args) {
    Usage.check(args, 4, "EditOneImage MODEL IMAGE PROMPT OUTPUT");
    try (PtiEditor editor = PtiEditor.load(Path.of(args[0]))) {
      BufferedImage input = Images.read(Path.of(args[1]));
      BufferedImage edited = editor.edit(input, args[2]);
      Images.write(edited, Path.of(args[3]));
    }
  }
}
