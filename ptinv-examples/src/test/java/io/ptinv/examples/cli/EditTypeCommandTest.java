package io.ptinv.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code ptinv edit-type}: the task on one line, the deciding changes on the next; bad input is one line, exit 2. */
class EditTypeCommandTest {
  @Test
  void printsTheTaskAndItsReasons() {
    String[] r = CliTesting.runCapturing("edit-type", "--source-prompt", "a red circle on a blue background", "--prompt",
        "a red [square] on a blue background");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1].lines().toList()).containsExactly("STRUCTURE", "\"circle\" -> \"square\" (structure)");
    String[] same = CliTesting.runCapturing("edit-type", "--source-prompt", "a cat", "--prompt", "a cat");
    assertThat(same[0]).isEqualTo("2");
    assertThat(same[2].strip()).startsWith("ptinv: prompt: ").doesNotContain("Exception");
  }
}
