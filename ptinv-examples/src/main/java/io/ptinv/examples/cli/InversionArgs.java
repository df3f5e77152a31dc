package io.ptinv.examples.cli;

import io.ptinv.InversionMethod;
import io.ptinv.InversionOptions;
import io.ptinv.OptimizerKind;
import io.ptinv.image.SizePolicy;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Inversion options shared by invert, edit and sweep. */
final class InversionArgs {
  @Option(names = "--steps", defaultValue = "50", description = "DDIM steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--guidance", defaultValue = "7.5", description = "Guidance scale w (default: ${DEFAULT-VALUE}).")
  double guidance;

  @Option(names = "--inner-steps", defaultValue = "1", description = "PTI: optimiser steps N per timestep (default: ${DEFAULT-VALUE}).")
  int innerSteps;

  @Option(names = "--lr", defaultValue = "0.1", description = "PTI: learning rate beta (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--optimizer", defaultValue = "adam", description = "PTI: adam or sgd (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--method", defaultValue = "pti", description = "pti, nti or ddim (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--size-policy", defaultValue = "resize",
      description = "Input size handling: resize, center-crop or reject (default: ${DEFAULT-VALUE}).")
  String sizePolicy;

  InversionOptions toOptions() {
    return InversionOptions.builder()
        .steps(steps)
        .guidanceScale(guidance)
        .innerSteps(innerSteps)
        .learningRate(learningRate)
        .optimizer(Args.enumValue(OptimizerKind.class, "--optimizer", optimizer))
        .method(Args.enumValue(InversionMethod.class, "--method", method))
        .sizePolicy(switch (sizePolicy.toLowerCase(Locale.ROOT)) {
          case "resize" -> SizePolicy.resize();
          case "center-crop", "centre-crop" -> SizePolicy.centerCrop();
          case "reject" -> SizePolicy.reject();
          default -> throw new io.ptinv.InvalidInputException("--size-policy",
              "expected resize, center-crop or reject but got " + sizePolicy);
        })
        .build();
  }
}
