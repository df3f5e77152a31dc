package io.ptinv.examples.cli;

import io.ptinv.InversionMethod;
import io.ptinv.InversionOptions;
import io.ptinv.OptimizerKind;
import io.ptinv.image.SizePolicy;
import io.ptinv.torch.io.ModelDefaults;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Inversion options shared by invert, edit and sweep. */
final class InversionArgs {
  @Option(names = "--steps", description = "DDIM steps (default: the model's ptinv.json, else 50).")
  Integer steps;

  @Option(names = "--guidance", description = "Guidance scale w (default: the model's ptinv.json, else 7.5).")
  Double guidance;

  @Option(names = "--inner-steps", description = "PTI: optimiser steps N per timestep (default: ptinv.json, else 1).")
  Integer innerSteps;

  @Option(names = "--lr", description = "PTI: learning rate beta (default: ptinv.json, else 0.1).")
  Double learningRate;

  @Option(names = "--optimizer", defaultValue = "adam", description = "PTI: adam or sgd (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--method", defaultValue = "pti", description = "pti, nti or ddim (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--size-policy", defaultValue = "fit",
      description = "Input size handling: fit (keep the aspect ratio, longer side at the model's size), resize "
          + "(squash to the model's size), center-crop, pad (fit, then repeat the edges) or reject "
          + "(default: ${DEFAULT-VALUE}).")
  String sizePolicy;

  /**
   * Editing a saved trajectory uses the settings it was made with: a --steps, --guidance, --inner-steps or --lr
   * given on the command line that differs from them is an error naming both values, not silently ignored.
   */
  void checkMatches(InversionOptions saved, java.nio.file.Path file) {
    mismatch("--steps", steps, saved.steps(), file);
    mismatch("--guidance", guidance, saved.guidanceScale(), file);
    mismatch("--inner-steps", innerSteps, saved.innerSteps(), file);
    mismatch("--lr", learningRate, saved.learningRate(), file);
  }

  private static void mismatch(String flag, Number given, Number saved, java.nio.file.Path file) {
    if (given != null && given.doubleValue() != saved.doubleValue()) {
      throw new io.ptinv.InvalidInputException(flag, "the trajectory " + file + " was made with " + flag + " " + saved
          + " but " + given + " was given; a trajectory is edited with its own settings (leave " + flag + " out)");
    }
  }

  /** The options: what the user gave, else the model's {@code ptinv.json}, else the paper's defaults. */
  InversionOptions toOptions(ModelDefaults d) {
    return InversionOptions.builder()
        .steps(ModelDefaults.pick(steps, d.steps(), InversionOptions.DEFAULT_STEPS))
        .guidanceScale(ModelDefaults.pick(guidance, d.guidanceScale(), InversionOptions.DEFAULT_GUIDANCE_SCALE))
        .innerSteps(ModelDefaults.pick(innerSteps, d.innerSteps(), InversionOptions.DEFAULT_INNER_STEPS))
        .learningRate(ModelDefaults.pick(learningRate, d.learningRate(), InversionOptions.DEFAULT_LEARNING_RATE))
        .optimizer(Args.enumValue(OptimizerKind.class, "--optimizer", optimizer))
        .method(Args.enumValue(InversionMethod.class, "--method", method))
        .sizePolicy(switch (sizePolicy.toLowerCase(Locale.ROOT)) {
          case "fit" -> SizePolicy.fit();
          case "resize" -> SizePolicy.resize();
          case "pad" -> SizePolicy.pad();
          case "center-crop", "centre-crop" -> SizePolicy.centerCrop();
          case "reject" -> SizePolicy.reject();
          default -> throw new io.ptinv.InvalidInputException("--size-policy",
              "expected fit, resize, center-crop, pad or reject but got " + sizePolicy);
        })
        .build();
  }
}
