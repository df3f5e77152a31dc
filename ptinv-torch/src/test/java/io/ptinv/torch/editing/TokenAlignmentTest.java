package io.ptinv.torch.editing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.torch.text.ClipTokenizer;
import io.ptinv.torch.text.TruncationPolicy;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** Prompt-to-Prompt's token alignment: word swaps, insertions, deletions, repeated words, long prompts. */
class TokenAlignmentTest {
  static final ClipTokenizer TOK = ClipTokenizer.bundled(TruncationPolicy.WARN);

  @Test
  void aSwapMapsEveryTokenToItselfAndTheSwappedWordToItsReplacement() {
    TokenAlignment a = TokenAlignment.of(TOK, "a red circle on grass", "a blue circle on grass");
    assertThat(a.kind()).isEqualTo(TokenAlignment.Kind.REPLACE);
    int[] map = a.targetToSource();
    for (int q = 0; q < TokenAlignment.N; q++) {
      assertThat(map[q]).as("target token " + q).isEqualTo(q);
    }
  }

  @Test
  void aSwapWithMoreTokensSpreadsTheMapAndKeepsTheRestAligned() {
    // "watermelon" and "cat" differ in token count: later words shift by the difference
    int extra = TOK.encodeBody("watermelon").size() - TOK.encodeBody("cat").size();
    TokenAlignment a = TokenAlignment.of(TOK, "a cat on grass", "a watermelon on grass");
    assertThat(a.kind()).isEqualTo(TokenAlignment.Kind.REPLACE);
    int[] map = a.targetToSource();
    int on = 2 + TOK.encodeBody("watermelon").size();
    assertThat(map[on]).isEqualTo(on - extra); // "on" in the target takes "on" of the source
    try (PointerScope s = new PointerScope()) {
      Tensor source = torch.rand(1, 3, TokenAlignment.N);
      Tensor out = a.apply(source, torch.zeros(1, 3, TokenAlignment.N));
      // each new token of the swapped word gets 1/n of the old word's map
      int n = TOK.encodeBody("watermelon").size();
      double expected = source.select(2, 2).sum().item_double() / n;
      assertThat(out.select(2, 2).sum().item_double()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void anInsertionIsNewAndEverythingElseKeepsItsSourceToken() {
    TokenAlignment a = TokenAlignment.of(TOK, "a circle on grass", "a big circle on grass");
    assertThat(a.kind()).isEqualTo(TokenAlignment.Kind.REFINE);
    int[] map = a.targetToSource();
    assertThat(map[0]).isZero(); // BOS
    assertThat(map[1]).isEqualTo(1); // a
    assertThat(map[2]).isEqualTo(-1); // big: new
    assertThat(map[3]).isEqualTo(2); // circle
    assertThat(map[6]).isEqualTo(5); // EOS
    try (PointerScope s = new PointerScope()) {
      Tensor source = torch.rand(2, 4, TokenAlignment.N);
      Tensor target = torch.rand(2, 4, TokenAlignment.N);
      Tensor out = a.apply(source, target);
      assertThat(torch.equal(out.select(2, 2), target.select(2, 2))).isTrue(); // the new word keeps its own map
      assertThat(torch.equal(out.select(2, 3), source.select(2, 2))).isTrue();
    }
  }

  @Test
  void aDeletionDropsTheWordAndRepeatedWordsAlignInOrder() {
    int[] del = TokenAlignment.of(TOK, "a big red circle", "a red circle").targetToSource();
    assertThat(del[1]).isEqualTo(1);
    assertThat(del[2]).isEqualTo(3); // red
    assertThat(del[3]).isEqualTo(4); // circle
    int[] rep = TokenAlignment.of(TOK, "a cat and a cat", "a cat and a big cat").targetToSource();
    assertThat(rep).startsWith(0, 1, 2, 3, 4);
    assertThat(rep[5]).isEqualTo(-1); // big
    assertThat(rep[6]).isEqualTo(5); // the second cat
  }

  @Test
  void promptsAtTheTokenLimitAlignWithinTheContext() {
    String longSource = "a " + "very ".repeat(80) + "red circle";
    String longTarget = "a small " + "very ".repeat(80) + "red circle";
    int[] map = TokenAlignment.of(TOK, longSource, longTarget).targetToSource();
    assertThat(map).hasSize(TokenAlignment.N);
    for (int q = 0; q < TokenAlignment.N; q++) {
      assertThat(map[q]).isBetween(-1, TokenAlignment.N - 1);
    }
    assertThat(map[2]).isEqualTo(-1); // small
    assertThat(TokenAlignment.of(TOK, longSource, longSource.replace("red", "blue")).kind())
        .isEqualTo(TokenAlignment.Kind.REPLACE);
  }
}
