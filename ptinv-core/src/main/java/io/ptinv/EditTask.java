package io.ptinv;

/**
 * TODInv's task types (Xu et al. 2024): which cross-attention layers' prompt embeddings inversion may optimise so that
 * the edit stays possible. The resolution groups: <em>appearance</em> layers are the two highest-resolution levels,
 * <em>structure</em> layers the lower ones.
 */
public enum EditTask {
  /** Colour, material, style: optimise only the structure (low-resolution) layers. */
  APPEARANCE,
  /** Change, add or delete an object, change content or pose: optimise only the appearance (high-resolution) layers. */
  STRUCTURE,
  /** Background changes, or several kinds of change in one edit: optimise all layers. */
  GLOBAL;

  /**
   * The task of an edit from the word differences of its prompts ({@link EditTaskClassifier}); the user can always
   * name the task instead.
   *
   * @param sourcePrompt the prompt describing the input
   * @param targetPrompt the prompt describing the edit
   * @return the task and the words that decided it
   */
  public static EditTaskClassifier.Classification classify(String sourcePrompt, String targetPrompt) {
    return EditTaskClassifier.classify(sourcePrompt, targetPrompt);
  }
}
