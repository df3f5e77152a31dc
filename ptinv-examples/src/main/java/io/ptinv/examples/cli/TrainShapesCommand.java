package io.ptinv.examples.cli;

import io.ptinv.examples.train.ShapesTrainer;
import io.ptinv.torch.runtime.ComputeDevice;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ptinv train-shapes}: trains the shapes model (VAE, then text encoder + UNet) and writes it as a
 * diffusers folder. Checkpoints go to {@code DIR/checkpoint}; running the same command again resumes.
 */
@Command(name = "train-shapes", mixinStandardHelpOptions = true,
    description = "Train the small shapes model (resumable); writes a diffusers model folder.")
final class TrainShapesCommand implements Callable<Integer> {
  @Option(names = {"-o", "--output"}, required = true, description = "Model folder to write (checkpoints in DIR/checkpoint).")
  Path output;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of data and initialisation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--vae-steps", defaultValue = "1500", description = "VAE training steps (default: ${DEFAULT-VALUE}).")
  int vaeSteps;

  @Option(names = "--steps", defaultValue = "6000", description = "Text encoder + UNet training steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--decoder-steps", defaultValue = "0", description = "Then fine-tune the VAE decoder alone on the "
      + "frozen encoder's latents for this many steps (the UNet stays valid; default: ${DEFAULT-VALUE}).")
  int decoderSteps;

  @Option(names = "--ema", defaultValue = "0.999", description = "EMA decay of the text encoder + UNet weights, "
      + "which are the ones written; 0 = no EMA (default: ${DEFAULT-VALUE}).")
  double ema;

  @Option(names = "--batch", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", defaultValue = "5e-4", description = "AdamW learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--lr-schedule", defaultValue = "constant", description = "Learning rate over each phase: constant "
      + "or cosine (decay to 0 at the phase's last step) (default: ${DEFAULT-VALUE}).")
  String lrSchedule;

  @Option(names = "--checkpoint-every", defaultValue = "250", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N.")
  String device;

  @Option(names = "--init-from", description = "Start from this model folder's weights (e.g. models/shapes) instead "
      + "of random ones, when DIR has no checkpoint yet; combine with --vae-steps 0 to train the UNet further.")
  Path initFrom;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    try (ConsoleProgress cancel = new ConsoleProgress();
        ShapesTrainer trainer = new ShapesTrainer(output, seed, ComputeDevice.select(device))) {
      Map<String, Object> state = trainer.resume();
      if (state == null && initFrom != null) {
        trainer.initFrom(initFrom);
        System.err.printf("starting from the weights of %s (scaling factor %.5f)%n", initFrom, trainer.scalingFactor());
      }
      int vaeDone = trainer.vaeStepsDone();
      if (state != null) {
        System.err.printf("resuming: VAE at step %d, diffusion at step %d, decoder at step %d%n", vaeDone,
            trainer.diffusionStepsDone(), trainer.decoderStepsDone());
      }
      trainer.useEma(ema);
      trainer.useLrSchedule(Args.enumValue(io.ptinv.examples.train.LrSchedule.class, "--lr-schedule", lrSchedule));
      if (vaeDone < vaeSteps) {
        // more VAE training (a fresh run, or --vae-steps raised): the later phases then start over
        if (!phase(trainer::trainVae, "vae", vaeDone, vaeSteps, cancel)) {
          return 130;
        }
        trainer.resetLaterPhases();
        System.err.printf("VAE scaling factor %.5f%n", trainer.computeScalingFactor(256));
      }
      if (!phase(trainer::trainDiffusion, "unet", trainer.diffusionStepsDone(), steps, cancel)
          || !phase(trainer::trainDecoder, "decoder", trainer.decoderStepsDone(), decoderSteps, cancel)) {
        return 130;
      }
      trainer.writeModel(output);
    }
    System.err.printf(Locale.ROOT, "wrote %s in %.1f min%n", output, (System.nanoTime() - t0) / 6e10);
    return 0;
  }

  /** One phase's training loop, as {@link ShapesTrainer} runs them. */
  private interface Phase {
    double train(int start, int steps, int batch, double lr, int checkpointEvery, ShapesTrainer.Listener listener);
  }

  /** Runs a phase from {@code done} to {@code total} with a progress bar; false when stopped by Ctrl-C. */
  private boolean phase(Phase p, String name, int done, int total, ConsoleProgress cancel) {
    if (done >= total) {
      return true;
    }
    try (ProgressBar bar = bar(name, total, done)) {
      p.train(done, total, batch, lr, checkpointEvery, (ph, step, n, loss) -> tick(bar, step, loss, cancel));
    }
    if (cancel.cancelled()) {
      System.err.println("stopped; run the same command again to resume from " + output.resolve("checkpoint"));
      return false;
    }
    return true;
  }

  private static ProgressBar bar(String name, int total, int start) {
    return new ProgressBarBuilder().setTaskName(name).setInitialMax(total).startsFrom(start, java.time.Duration.ZERO)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
  }

  private static boolean tick(ProgressBar bar, int step, double loss, ConsoleProgress cancel) {
    bar.stepTo(step);
    bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
    return !cancel.cancelled();
  }
}
