package io.ptinv.torch.text;

/** What the tokenizer does with a prompt longer than the 75 body tokens CLIP accepts. */
public enum TruncationPolicy {
  /** Keep the first 75 tokens and log a warning naming how many were dropped (CLIP/SD behaviour; default). */
  WARN,
  /** Throw {@link io.ptinv.InvalidInputException} naming the prompt's length. */
  REJECT
}
