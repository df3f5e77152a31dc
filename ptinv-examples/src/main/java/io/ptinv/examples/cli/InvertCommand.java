package io.ptinv.examples.cli;

import io.ptinv.files.OutputFiles;
import io.ptinv.image.Images;
import io.ptinv.torch.editing.PtiEditor;
import io.ptinv.torch.inversion.TorchTrajectory;
import io.ptinv.torch.inversion.TrajectoryFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ptinv invert}: image to a trajectory file, to edit later without inverting again. */
@Command(name = "invert", mixinStandardHelpOptions = true,
    description = "Invert an image and tune its condition; save the trajectory (safetensors).")
final class InvertCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin InversionArgs inversion;

  @Option(names = "--image", required = true, description = "Input image (PNG, JPEG, BMP, GIF).")
  Path image;

  @Option(names = "--prompt", defaultValue = "", description = "Prompt whose embedding is tuned (PTI) or the source prompt (NTI, DDIM, TODInv).")
  String prompt;

  @Option(names = "--target-prompt", description = "TODInv: the prompt of the edit to come, to decide --task auto.")
  String targetPrompt;

  @Option(names = {"-o", "--output"}, required = true, description = "Trajectory file to write (.safetensors).")
  Path output;

  @Override
  public Integer call() {
    var options = inversion.toOptions(model.defaults());
    boolean todinv = options.method() == io.ptinv.InversionMethod.TODINV;
    if (todinv && prompt.isBlank()) {
      throw new io.ptinv.InvalidInputException("--prompt", "TODInv needs the source prompt describing the input");
    }
    if (todinv && options.todinv().task() == null && (targetPrompt == null || targetPrompt.isBlank())) {
      throw new io.ptinv.InvalidInputException("--task", "TODInv needs --task appearance|structure|global, or "
          + "--target-prompt to decide it from");
    }
    OutputFiles.checkWritable(output, "--output");
    var input = Images.read(image);
    try (PtiEditor editor = new PtiEditor(model.load(), true);
        ConsoleProgress progress = new ConsoleProgress();
        TorchTrajectory trajectory = todinv ? editor.invert(input, prompt, targetPrompt == null ? prompt : targetPrompt,
            options, progress) : editor.invert(input, prompt, options, progress)) {
      progress.write(output, () -> TrajectoryFiles.save(trajectory, output));
    }
    return 0;
  }
}
