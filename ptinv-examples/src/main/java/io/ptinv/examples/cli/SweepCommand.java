package io.ptinv.examples.cli;

import io.ptinv.EditOptions;
import io.ptinv.InvalidInputException;
import io.ptinv.files.OutputFiles;
import io.ptinv.image.Images;
import java.nio.file.Files;
import io.ptinv.torch.editing.PtiEditor;
import io.ptinv.torch.inversion.TorchTrajectory;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ptinv sweep}: invert once, edit at several etas, write each and a labelled contact sheet. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Invert and tune once, edit at each eta; writes eta-*.png and contact-sheet.png.")
final class SweepCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin InversionArgs inversion;
  @Mixin EditArgs edit;

  @Option(names = "--image", required = true, description = "Input image.")
  Path image;

  @Option(names = "--prompt", required = true, description = "Target prompt.")
  String prompt;

  @Option(names = "--etas", defaultValue = "0,0.5,0.8,0.9,1", description = "Comma-separated etas (default: ${DEFAULT-VALUE}).")
  String etas;

  @Option(names = {"-o", "--output"}, required = true, description = "Output folder.")
  Path output;

  @Override
  public Integer call() {
    List<Double> values = Args.etas("--etas", etas);
    EditOptions options = edit.toBuilder(inversion, 0.0, model.defaults()).build();
    InvalidInputException.check(!Files.exists(output) || Files.isDirectory(output), "--output",
        "a folder (made if missing)", output + ", an existing file");
    List<Path> files = new ArrayList<>();
    for (double eta : values) {
      files.add(output.resolve(String.format(Locale.ROOT, "eta-%.2f.png", eta)));
    }
    Path sheetFile = output.resolve("contact-sheet.png");
    for (Path f : files) {
      OutputFiles.checkWritable(f, "--output");
    }
    OutputFiles.checkWritable(sheetFile, "--output");
    BufferedImage input = Images.read(image);
    try (PtiEditor editor = new PtiEditor(model.load(), true);
        ConsoleProgress progress = new ConsoleProgress()) {
      List<BufferedImage> edits;
      BufferedImage reconstruction;
      try (TorchTrajectory t = editor.invert(input, prompt, options.inversion(), progress)) {
        reconstruction = editor.reconstruct(t, progress);
        edits = editor.edits(t, prompt, values, options, progress);
      }
      List<BufferedImage> sheet = new ArrayList<>(List.of(input, reconstruction));
      List<String> labels = new ArrayList<>(List.of("input", "reconstruction"));
      for (int i = 0; i < values.size(); i++) {
        sheet.add(edits.get(i));
        labels.add(String.format(Locale.ROOT, "eta = %.2f", values.get(i)));
      }
      progress.write(output, () -> {
        for (int i = 0; i < values.size(); i++) {
          Images.write(edits.get(i), files.get(i));
        }
        Images.write(ContactSheet.render(sheet, labels, prompt), sheetFile);
      });
    }
    return 0;
  }
}
