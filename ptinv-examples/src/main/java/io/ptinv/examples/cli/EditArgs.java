package io.ptinv.examples.cli;

import io.ptinv.EditOptions;
import io.ptinv.InvalidInputException;
import io.ptinv.torch.io.ModelDefaults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Edit options shared by edit and sweep (eta comes from each command). */
final class EditArgs {
  @Option(names = "--interpolation", defaultValue = "condition",
      description = "condition (the paper's Eq. 9) or latent (default: ${DEFAULT-VALUE}).")
  String interpolation;

  @Option(names = "--local-blend", split = ",", paramLabel = "WORD",
      description = "Words of the target prompt marking the edited region (Prompt-to-Prompt local blending).")
  List<String> localBlend = new ArrayList<>();

  @Option(names = "--blend-threshold", description = "Local-blend mask threshold in (0, 1) (default: the model's "
      + "ptinv.json, else 0.3).")
  Double blendThreshold;

  @Option(names = "--reweight", paramLabel = "WORD=FACTOR", description = "Scale a target word's cross-attention (repeatable).")
  Map<String, String> reweight = new LinkedHashMap<>();

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  EditOptions.Builder toBuilder(InversionArgs inversion, Double eta, ModelDefaults defaults) {
    EditOptions.Builder b = EditOptions.builder()
        .inversion(inversion.toOptions(defaults))
        .eta(ModelDefaults.pick(eta, defaults.eta(), EditOptions.DEFAULT_ETA))
        .interpolation(Args.enumValue(EditOptions.Interpolation.class, "--interpolation", interpolation))
        .localBlend(localBlend)
        .blendThreshold(ModelDefaults.pick(blendThreshold, defaults.blendThreshold(), EditOptions.DEFAULT_BLEND_THRESHOLD))
        .seed(seed);
    reweight.forEach((word, factor) -> {
      try {
        b.reweight(word, Double.parseDouble(factor));
      } catch (NumberFormatException e) {
        throw new InvalidInputException("--reweight", "expected WORD=FACTOR with a number but got " + word + "=" + factor);
      }
    });
    return b;
  }
}
