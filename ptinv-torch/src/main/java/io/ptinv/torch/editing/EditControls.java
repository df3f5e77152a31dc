package io.ptinv.torch.editing;

import io.ptinv.EditOptions;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.text.ClipTokenizer;
import io.ptinv.torch.unet.AttentionControl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attention-based parts of an edit, resolved against the prompts: an optional {@link LocalBlend} and
 * optional re-weighting factors by token position.
 *
 * @param blend local blending, or null
 * @param reweight token position to factor (empty for none)
 */
public record EditControls(LocalBlend blend, Map<Integer, Double> reweight) {
  /** No attention control: plain interpolation. */
  public static final EditControls NONE = new EditControls(null, Map.of());

  /**
   * Resolves the words of {@code options} in the target and source prompts.
   *
   * @throws io.ptinv.InvalidInputException if a blend or re-weight word is not in the target prompt
   */
  public static EditControls resolve(StableDiffusion model, EditOptions options, String targetPrompt, String sourcePrompt) {
    return resolve(model, options, targetPrompt, sourcePrompt, false);
  }

  /**
   * Like {@link #resolve(StableDiffusion, EditOptions, String, String)}; with {@code blendWordsFromEither} (Prompt-to-Prompt,
   * whose blend words name the edited object in the source, the target or both: "cat", "dog") a blend word must be in
   * at least one of the prompts.
   *
   * @throws io.ptinv.InvalidInputException if a word is in neither prompt, or a re-weight word not in the target
   */
  public static EditControls resolve(StableDiffusion model, EditOptions options, String targetPrompt, String sourcePrompt,
      boolean blendWordsFromEither) {
    ClipTokenizer tok = model.tokenizer();
    LocalBlend blend = null;
    if (!options.localBlendWords().isEmpty()) {
      List<Integer> edit = new java.util.ArrayList<>();
      List<Integer> source = new java.util.ArrayList<>();
      for (String word : options.localBlendWords()) {
        List<Integer> inSource = TokenPositions.find(tok, sourcePrompt, word);
        if (blendWordsFromEither && !inSource.isEmpty()) {
          edit.addAll(TokenPositions.find(tok, targetPrompt, word));
        } else if (blendWordsFromEither) {
          edit.addAll(TokenPositions.require(tok, targetPrompt, word, "localBlend",
              "a word of the source prompt \"" + sourcePrompt + "\" or of the target prompt \"" + targetPrompt + "\""));
        } else {
          edit.addAll(TokenPositions.require(tok, targetPrompt, word, "localBlend"));
        }
        source.addAll(inSource);
      }
      blend = new LocalBlend(model.unet(), edit, source, options.blendThreshold());
    }
    Map<Integer, Double> factors = new LinkedHashMap<>();
    options.reweight().forEach((word, factor) ->
        TokenPositions.require(tok, targetPrompt, word, "reweight").forEach(pos -> factors.put(pos, factor)));
    return new EditControls(blend, factors);
  }

  /** Prompt-to-Prompt's equalizer: one factor per token position (1 where not re-weighted), or null for none. */
  float[] equalizer() {
    if (reweight.isEmpty()) {
      return null;
    }
    float[] eq = new float[ClipTokenizer.CONTEXT_LENGTH];
    java.util.Arrays.fill(eq, 1f);
    reweight.forEach((pos, f) -> eq[pos] = f.floatValue());
    return eq;
  }

  /** The control for the edit branch: re-weighting (if any) feeding {@code downstream}. */
  AttentionControl editBranch(AttentionControl downstream) {
    if (reweight.isEmpty()) {
      return downstream == null ? AttentionControl.NONE : downstream;
    }
    return new AttentionReweight(reweight, ClipTokenizer.CONTEXT_LENGTH, downstream);
  }
}
