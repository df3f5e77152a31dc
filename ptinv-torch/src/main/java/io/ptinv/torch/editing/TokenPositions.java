package io.ptinv.torch.editing;

import io.ptinv.InvalidInputException;
import io.ptinv.torch.text.ClipTokenizer;
import java.util.ArrayList;
import java.util.List;

/** Where a word's BPE tokens sit in a prompt's 77 token ids (position 0 is BOS). */
public final class TokenPositions {
  private TokenPositions() {}

  /** Positions of every occurrence of {@code word}'s tokens; empty if the word is not in the prompt. */
  public static List<Integer> find(ClipTokenizer tokenizer, String prompt, String word) {
    List<Integer> body = tokenizer.encodeBody(prompt);
    List<Integer> needle = tokenizer.encodeBody(word);
    List<Integer> out = new ArrayList<>();
    if (needle.isEmpty()) {
      return out;
    }
    int limit = Math.min(body.size(), ClipTokenizer.CONTEXT_LENGTH - 2);
    for (int i = 0; i + needle.size() <= limit; i++) {
      if (body.subList(i, i + needle.size()).equals(needle)) {
        for (int k = 0; k < needle.size(); k++) {
          out.add(i + k + 1);
        }
      }
    }
    return out;
  }

  /** Like {@link #find} but the word must be there: an {@link InvalidInputException} names it otherwise. */
  public static List<Integer> require(ClipTokenizer tokenizer, String prompt, String word, String argument) {
    return require(tokenizer, prompt, word, argument, "a word of the prompt \"" + prompt + "\"");
  }

  /** Like {@link #find} but the word must be there: an {@link InvalidInputException} says what was expected. */
  static List<Integer> require(ClipTokenizer tokenizer, String prompt, String word, String argument, String expected) {
    List<Integer> found = find(tokenizer, prompt, word);
    InvalidInputException.check(!found.isEmpty(), argument, expected, "'" + word + "'");
    return found;
  }
}
