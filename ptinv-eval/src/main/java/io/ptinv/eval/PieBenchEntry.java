package io.ptinv.eval;

/**
 * One PIE-Bench entry of {@code mapping_file.json}.
 *
 * @param key the entry's id (e.g. {@code 000000000007})
 * @param imagePath the image's path below the annotation folder
 * @param originalPrompt the source prompt (may hold {@code [} {@code ]} around the edited words)
 * @param editingPrompt the target prompt
 * @param editingTypeId PIE-Bench's edit category, 0..9
 * @param rle the mask's run-length encoding
 */
public record PieBenchEntry(String key, String imagePath, String originalPrompt, String editingPrompt,
    String editingTypeId, long[] rle) {

  /** @return the source prompt with every {@code [} and {@code ]} deleted, as evaluate.py does */
  public String cleanOriginalPrompt() {
    return originalPrompt.replace("[", "").replace("]", "");
  }

  /** @return the target prompt with every {@code [} and {@code ]} deleted */
  public String cleanEditingPrompt() {
    return editingPrompt.replace("[", "").replace("]", "");
  }
}
