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
    ClipTokenizer tok = model.tokenizer();
    LocalBlend blend = null;
    if (!options.localBlendWords().isEmpty()) {
      List<Integer> edit = new java.util.ArrayList<>();
      List<Integer> source = new java.util.ArrayList<>();
      for (String word : options.localBlendWords()) {
        edit.addAll(TokenPositions.require(tok, targetPrompt, word, "localBlend"));
        source.addAll(TokenPositions.find(tok, sourcePrompt, word));
      }
      blend = new LocalBlend(model.unet(), edit, source, options.blendThreshold());
    }
    Map<Integer, Double> factors = new LinkedHashMap<>();
    options.reweight().forEach((word, factor) ->
        TokenPositions.require(tok, targetPrompt, word, "reweight").forEach(pos -> factors.put(pos, factor)));
    return new EditControls(blend, factors);
  }

  /** The control for the edit branch: re-weighting (if any) feeding {@code downstream}. */
  AttentionControl editBranch(AttentionControl downstream) {
    if (reweight.isEmpty()) {
      return downstream == null ? AttentionControl.NONE : downstream;
    }
    return new AttentionReweight(reweight, ClipTokenizer.CONTEXT_LENGTH, downstream);
  }
}
