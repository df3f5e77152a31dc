package io.ptinv.examples.cli;

import io.ptinv.EditOptions;
import io.ptinv.InvalidInputException;
import io.ptinv.InversionMethod;
import io.ptinv.P2pOptions;
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
      description = "Words marking the edited region (Prompt-to-Prompt local blending): of the target prompt, or with "
          + "P2P of either prompt (e.g. cat,dog).")
  List<String> localBlend = new ArrayList<>();

  @Option(names = "--blend-threshold", description = "Local-blend mask threshold in (0, 1) (default: the model's "
      + "ptinv.json, else 0.3).")
  Double blendThreshold;

  @Option(names = "--reweight", paramLabel = "WORD=FACTOR", description = "Scale a target word's cross-attention (repeatable).")
  Map<String, String> reweight = new LinkedHashMap<>();

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--source-prompt", description = "The prompt describing the input image: NTI, DDIM and TODInv invert "
      + "with it, Prompt-to-Prompt aligns it with --prompt, TODInv decides --task auto from both.")
  String sourcePrompt;

  @Option(names = "--p2p", negatable = true, description = "Edit with Prompt-to-Prompt attention control (default: on "
      + "for --method todinv, off otherwise; needs --source-prompt except after PTI).")
  Boolean p2p;

  @Option(names = "--cross-replace", description = "P2P: fraction of the steps whose cross-attention maps come from the "
      + "source branch (default: 0.4).")
  Double crossReplace;

  @Option(names = "--self-replace", description = "P2P: fraction of the steps whose self-attention maps (below full "
      + "latent resolution) come from the source branch (default: 0.6).")
  Double selfReplace;

  EditOptions.Builder toBuilder(InversionArgs inversion, Double eta, ModelDefaults defaults) {
    return toBuilder(inversion, eta, defaults, null);
  }

  /**
   * @param trajectoryMethod the method of a trajectory being edited (its source prompt is in the file), or null when
   *     the command inverts
   */
  EditOptions.Builder toBuilder(InversionArgs inversion, Double eta, ModelDefaults defaults,
      InversionMethod trajectoryMethod) {
    InversionMethod method = trajectoryMethod != null ? trajectoryMethod : inversion.method();
    boolean fromTrajectory = trajectoryMethod != null;
    boolean usesP2p = p2p != null ? p2p : method == InversionMethod.TODINV;
    if (!usesP2p && (crossReplace != null || selfReplace != null)) {
      throw new InvalidInputException("--cross-replace", "Prompt-to-Prompt's options need --p2p (or --method todinv)");
    }
    if (!fromTrajectory && method == InversionMethod.TODINV && (sourcePrompt == null || sourcePrompt.isBlank())) {
      throw new InvalidInputException("--source-prompt", "TODInv needs a non-empty --source-prompt describing the input");
    }
    if (!fromTrajectory && usesP2p && method != InversionMethod.PTI && (sourcePrompt == null || sourcePrompt.isBlank())) {
      throw new InvalidInputException("--source-prompt", "Prompt-to-Prompt after " + method.name().toLowerCase()
          + " needs a non-empty --source-prompt describing the input");
    }
    // PTI's eta comes from ptinv.json (else 0.9); NTI, DDIM and TODInv sample their target fully unless told
    double etaValue = method == InversionMethod.PTI ? ModelDefaults.pick(eta, defaults.eta(), EditOptions.DEFAULT_ETA)
        : eta != null ? eta : 1.0;
    P2pOptions p2pOptions = !usesP2p ? null : new P2pOptions(
        crossReplace == null ? P2pOptions.DEFAULT_CROSS_REPLACE : crossReplace,
        selfReplace == null ? P2pOptions.DEFAULT_SELF_REPLACE : selfReplace);
    EditOptions.Builder b = EditOptions.builder()
        .inversion(inversion.toOptions(defaults).toBuilder().method(method).build())
        .eta(etaValue)
        .sourcePrompt(sourcePrompt == null ? "" : sourcePrompt)
        .p2p(p2pOptions)
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
