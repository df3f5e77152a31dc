package io.ptinv.examples.cli;

import io.ptinv.EditTask;
import io.ptinv.InversionMethod;
import io.ptinv.InversionOptions;
import io.ptinv.OptimizerKind;
import io.ptinv.TodInvOptions;
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

  @Option(names = "--method", defaultValue = "pti", description = "pti, nti, ddim or todinv (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--task", description = "TODInv: appearance, structure, global or auto (decided from the source and "
      + "target prompts; the default).")
  String task;

  @Option(names = "--max-iters", description = "TODInv: AdamW steps per timestep at most (default: 10).")
  Integer maxIters;

  @Option(names = "--stop-loss", description = "TODInv: a timestep stops once its loss is below this (default: 1e-5).")
  Double stopLoss;

  @Option(names = "--todinv-lr", description = "TODInv: AdamW learning rate (default: the model's ptinv.json, else "
      + "the paper's 1e-3).")
  Double todinvLr;

  @Option(names = "--todinv-guided", negatable = true, description = "TODInv: the loss's DDIM step uses classifier-free "
      + "guidance at --guidance (default), or with --no-todinv-guided the conditional prediction alone.")
  Boolean todinvGuided;

  @Option(names = "--todinv-start", description = "TODInv: where each timestep's embeddings start: previous (the "
      + "previous timestep's result; default) or source (the source prompt's embedding).")
  String todinvStart;

  @Option(names = "--layer-group", paramLabel = "LAYER=GROUP", description = "TODInv: move a cross-attention layer "
      + "to the appearance or structure group, e.g. mid_block.attentions.0.transformer_blocks.0.attn2=appearance "
      + "(repeatable; a wrong name lists the model's layers; docs/todinv.md).")
  java.util.List<String> layerGroups;

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

  /** The chosen method. */
  InversionMethod method() {
    return Args.enumValue(InversionMethod.class, "--method", method);
  }

  /** TODInv's settings from the flags; a TODInv flag with another method is an error. */
  TodInvOptions todinv(ModelDefaults defaults) {
    String given = task != null ? "--task" : maxIters != null ? "--max-iters" : stopLoss != null ? "--stop-loss"
        : todinvLr != null ? "--todinv-lr" : todinvGuided != null ? "--todinv-guided" : todinvStart != null
        ? "--todinv-start" : layerGroups != null ? "--layer-group" : null;
    if (given != null && method() != InversionMethod.TODINV) {
      throw new io.ptinv.InvalidInputException(given, "TODInv's options (--task, --max-iters, --stop-loss, "
          + "--todinv-*) apply to --method todinv, not --method " + method);
    }
    TodInvOptions d = TodInvOptions.defaults();
    EditTask t = task == null || task.equalsIgnoreCase("auto") ? null : Args.enumValue(EditTask.class, "--task", task);
    boolean warm = todinvStart == null || switch (todinvStart.toLowerCase(Locale.ROOT)) {
      case "previous" -> true;
      case "source" -> false;
      default -> throw new io.ptinv.InvalidInputException("--todinv-start", "expected previous or source but got "
          + todinvStart);
    };
    return new TodInvOptions(t, maxIters == null ? d.maxIterations() : maxIters,
        ModelDefaults.pick(todinvLr, defaults.todinvLearningRate(), d.learningRate()), stopLoss == null ? d.stopLoss() : stopLoss,
        todinvGuided == null ? d.guided() : todinvGuided, warm, false, layerGroupOverrides());
  }

  private java.util.Map<String, io.ptinv.LayerGroup> layerGroupOverrides() {
    java.util.Map<String, io.ptinv.LayerGroup> out = new java.util.LinkedHashMap<>();
    for (String spec : layerGroups == null ? java.util.List.<String>of() : layerGroups) {
      int eq = spec.lastIndexOf('=');
      if (eq <= 0) {
        throw new io.ptinv.InvalidInputException("--layer-group", "expected LAYER=appearance|structure but got " + spec);
      }
      out.put(spec.substring(0, eq).trim(),
          Args.enumValue(io.ptinv.LayerGroup.class, "--layer-group", spec.substring(eq + 1)));
    }
    return out;
  }

  /** The options: what the user gave, else the model's {@code ptinv.json}, else the paper's defaults. */
  InversionOptions toOptions(ModelDefaults d) {
    return InversionOptions.builder()
        .todinv(todinv(d))
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
