package demo;

import io.ptinv.EditOptions;
import io.ptinv.image.Images;
import io.ptinv.torch.LoadOptions;
import io.ptinv.torch.editing.PtiEditor;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import java.nio.file.Path;

/** README.md's snippet as a program: {@code EditWithPtinv MODEL_DIR IN.png OUT.png PROMPT}. */
public final class EditWithPtinv {
  public static void main(String[] args) {
    try (PtiEditor editor = PtiEditor.load(Path.of(args[0]),
        new LoadOptions(ComputeDevice.select(null), Precision.FP32, null, null))) {
      EditOptions options = editor.recommendedOptions().withEta(0.8); // ptinv.json of the model, then the paper
      Images.write(editor.edit(Images.read(Path.of(args[1])), args[3], options), Path.of(args[2]));
    }
  }
}
