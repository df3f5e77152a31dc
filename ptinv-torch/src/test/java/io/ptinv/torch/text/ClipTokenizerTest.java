package io.ptinv.torch.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.InvalidInputException;
import io.ptinv.torch.testing.Golden;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipTokenizerTest {
  static ClipTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = ClipTokenizer.load(Golden.tinyModel().resolve("tokenizer"), TruncationPolicy.WARN);
  }

  @Test
  void everyGoldenCaseMatchesExactly() throws Exception {
    JsonNode cases = new ObjectMapper().readTree(Golden.dir().resolve("tokenizer-cases.json").toFile());
    assertThat(cases.size()).isGreaterThanOrEqualTo(12);
    for (JsonNode c : cases) {
      long[] expected = new long[c.get("ids").size()];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = c.get("ids").get(i).asLong();
      }
      assertThat(tokenizer.encode(c.get("text").asText())).as(c.get("text").asText()).containsExactly(expected);
    }
  }

  @Test
  void specialIdsComeFromTheVocabulary() {
    assertThat(tokenizer.bosId()).isEqualTo(49406);
    assertThat(tokenizer.eosId()).isEqualTo(49407);
    assertThat(tokenizer.padId()).isEqualTo(49407);
  }

  @Test
  void rejectPolicyNamesThePromptLength() {
    ClipTokenizer strict = ClipTokenizer.load(Golden.tinyModel().resolve("tokenizer"), TruncationPolicy.REJECT);
    String longPrompt = "word ".repeat(80);
    assertThatThrownBy(() -> strict.encode(longPrompt))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("prompt:")
        .hasMessageContaining("at most 75 tokens")
        .hasMessageContaining("has 80");
    assertThat(strict.encode("word ".repeat(75))[76]).isEqualTo(49407);
    assertThat(tokenizer.encode(longPrompt)).hasSize(77);
  }
}
