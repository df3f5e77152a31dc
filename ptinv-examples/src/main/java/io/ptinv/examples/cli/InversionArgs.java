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

  @Option(names = "--size-policy", defaultValue = "resize",
      description = "Input size handling: resize, center-crop or reject (default: ${DEFAULT-VALUE}).")
  String sizePolicy;

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
          case "resize" -> SizePolicy.resize();
          case "center-crop", "centre-crop" -> SizePolicy.centerCrop();
          case "reject" -> SizePolicy.reject();
          default -> throw new io.ptinv.InvalidInputException("--size-policy",
              "expected resize, center-crop or reject but got " + sizePolicy);
        })
        .build();
  }
}
