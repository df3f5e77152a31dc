package io.ptinv.examples.api;

import io.ptinv.image.Images;
import io.ptinv.torch.editing.PtiEditor;
import io.ptinv.torch.inversion.TorchTrajectory;
import io.ptinv.torch.inversion.TrajectoryFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Invert once, edit many times: the inversion and tuning (the expensive part) are saved to a trajectory file the
 * first time; later runs load it and only sample the edit.
 *
 * <pre>EditFromTrajectory MODEL IMAGE TRAJECTORY PROMPT OUTPUT</pre>
 */
public final class EditFromTrajectory {
  private EditFromTrajectory() {}

  public static void main(String[] args) {
    Usage.check(args, 5, "EditFromTrajectory MODEL IMAGE TRAJECTORY PROMPT OUTPUT");
    Path trajectoryFile = Path.of(args[2]);
    try (PtiEditor editor = PtiEditor.load(Path.of(args[0]))) {
      if (!Files.exists(trajectoryFile)) {
        try (TorchTrajectory t = editor.invert(Images.read(Path.of(args[1])), args[3],
            editor.recommendedOptions().inversion(), io.ptinv.ProgressListener.NONE)) {
          TrajectoryFiles.save(t, trajectoryFile);
        }
      }
      try (TorchTrajectory t = TrajectoryFiles.load(trajectoryFile, editor.model())) {
        Images.write(editor.edit(t, args[3], editor.recommendedOptions(), io.ptinv.ProgressListener.NONE),
            Path.of(args[4]));
      }
    }
  }
}
