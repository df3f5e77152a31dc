package io.ptinv;

/**
 * Prompt-to-Prompt attention control (Hertz et al. 2023) for an edit: the target branch's cross-attention maps are
 * replaced by the source branch's (aligned by token) for the first {@code crossReplace} fraction of the steps, its
 * self-attention maps below full latent resolution for the first {@code selfReplace} fraction.
 *
 * @param crossReplace fraction of the steps with cross-attention replacement, in [0, 1] (PIE-Bench's P2P: 0.4)
 * @param selfReplace fraction of the steps with self-attention replacement, in [0, 1] (PIE-Bench's P2P: 0.6)
 */
public record P2pOptions(double crossReplace, double selfReplace) {
  /** PIE-Bench's Prompt-to-Prompt setting. */
  public static final double DEFAULT_CROSS_REPLACE = 0.4;
  /** PIE-Bench's Prompt-to-Prompt setting. */
  public static final double DEFAULT_SELF_REPLACE = 0.6;

  /** Validates both fractions; throws {@link InvalidInputException} naming a bad one. */
  public P2pOptions {
    InvalidInputException.check(crossReplace >= 0 && crossReplace <= 1, "crossReplace", "a fraction in [0, 1]", crossReplace);
    InvalidInputException.check(selfReplace >= 0 && selfReplace <= 1, "selfReplace", "a fraction in [0, 1]", selfReplace);
  }

  /** @return cross-attention replacement for 40% of the steps, self-attention for 60% */
  public static P2pOptions defaults() {
    return new P2pOptions(DEFAULT_CROSS_REPLACE, DEFAULT_SELF_REPLACE);
  }

  /** Steps (of {@code steps}) with cross-attention replacement: the first {@code floor(crossReplace * steps)}, as Prompt-to-Prompt's {@code int(fraction * steps)}. */
  public int crossReplaceSteps(int steps) {
    return (int) (crossReplace * steps);
  }

  /** Steps (of {@code steps}) with self-attention replacement: the first {@code floor(selfReplace * steps)}. */
  public int selfReplaceSteps(int steps) {
    return (int) (selfReplace * steps);
  }
}
