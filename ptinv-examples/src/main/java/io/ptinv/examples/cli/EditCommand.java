package io.ptinv.examples.cli;

import io.ptinv.EditOptions;
import io.ptinv.files.OutputFiles;
import io.ptinv.image.Images;
import io.ptinv.torch.editing.PtiEditor;
import io.ptinv.torch.inversion.TorchTrajectory;
import io.ptinv.torch.inversion.TrajectoryFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ptinv edit}: invert + tune + edit an image, or edit a saved trajectory. */
@Command(name = "edit", mixinStandardHelpOptions = true, description = "Edit an image (or a saved trajectory) towards a prompt.")
final class EditCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin InversionArgs inversion;

  @ArgGroup(multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--image", required = true, description = "Input image.")
    Path image;

    @Option(names = "--trajectory", required = true, description = "A trajectory saved by 'ptinv invert'.")
    Path trajectory;
  }

  @Option(names = "--prompt", required = true, description = "Target prompt.")
  String prompt;

  @Option(names = "--eta", description = "Interpolation weight in [0, 1]: 0 reconstructs, 1 is DDIM-Edit "
      + "(default: the model's ptinv.json, else 0.9).")
  Double eta;

  @Mixin EditArgs edit;

  @Option(names = {"-o", "--output"}, required = true, description = "Output PNG.")
  Path output;

  @Override
  public Integer call() {
    // everything a user can get wrong is checked before the model loads
    io.ptinv.InversionOptions saved = null;
    if (source.trajectory != null) {
      saved = TrajectoryFiles.readOptions(source.trajectory);
      inversion.checkMatches(saved, source.trajectory);
    }
    EditOptions options = edit.toBuilder(inversion, eta, model.defaults(), saved == null ? null : saved.method()).build();
    OutputFiles.checkWritable(output, "--output");
    BufferedImage input = source.image != null ? Images.read(source.image) : null;
    try (PtiEditor editor = new PtiEditor(model.load(), true);
        ConsoleProgress progress = new ConsoleProgress()) {
      BufferedImage result;
      if (input != null) {
        result = editor.edit(input, prompt, options, progress);
      } else {
        try (TorchTrajectory t = TrajectoryFiles.load(source.trajectory, editor.model())) {
          result = editor.edit(t, prompt, options, progress);
        }
      }
      progress.write(output, () -> Images.write(result, output));
    }
    return 0;
  }
}
