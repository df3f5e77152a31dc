package io.ptinv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The task heuristic on an example pair for each of PIE-Bench's edit categories, and its reasons. */
class EditTaskTest {
  private static EditTaskClassifier.Classification c(String source, String target) {
    return EditTask.classify(source, target);
  }

  @Test
  void pieBenchCategories() {
    // change object, add object, delete object, change content, change pose: STRUCTURE
    assertThat(c("a cat sitting on a wooden floor", "a [dog] sitting on a wooden floor").task()).isEqualTo(EditTask.STRUCTURE);
    assertThat(c("a cat sitting on a sofa", "a cat [wearing a hat] sitting on a sofa").task()).isEqualTo(EditTask.STRUCTURE);
    assertThat(c("a man with a hat walking", "a man walking").task()).isEqualTo(EditTask.STRUCTURE);
    assertThat(c("a gold plated bowl filled with fruit", "a gold plated bowl filled with [candy]").task())
        .isEqualTo(EditTask.STRUCTURE);
    assertThat(c("a dog standing on the grass", "a dog [sitting] on the grass").task()).isEqualTo(EditTask.STRUCTURE);
    // change colour, change material, change style: APPEARANCE
    assertThat(c("a red car parked on the street", "a [yellow] car parked on the street").task())
        .isEqualTo(EditTask.APPEARANCE);
    assertThat(c("a wooden table in a kitchen", "a [marble] table in a kitchen").task()).isEqualTo(EditTask.APPEARANCE);
    assertThat(c("a photo of a lighthouse", "a [watercolor painting] of a lighthouse").task()).isEqualTo(EditTask.APPEARANCE);
    // change background: GLOBAL
    assertThat(c("a cat on a sofa in a living room", "a cat on a sofa in a [forest]").task()).isEqualTo(EditTask.GLOBAL);
    assertThat(c("a red circle on a blue background", "a red circle on a [green] background").task())
        .isEqualTo(EditTask.GLOBAL);
    // several kinds at once (PIE-Bench's "random"): GLOBAL
    assertThat(c("a red ball on a wooden table", "a [blue cube] on a wooden table").task()).isEqualTo(EditTask.GLOBAL);
    assertThat(c("a red ball on a table", "a blue ball on a table with a cup").task()).isEqualTo(EditTask.GLOBAL);
  }

  @Test
  void theReasonsNameTheDecidingWords() {
    EditTaskClassifier.Classification r = c("A red car, parked.", "a [yellow] car parked");
    assertThat(r.reasons()).containsExactly("\"red\" -> \"yellow\" (appearance)");
    assertThat(c("a man with a hat walking", "a man walking").explanation()).isEqualTo("removed \"with a hat\" (structure)");
    assertThat(c("a cat", "a black cat").explanation()).isEqualTo("added \"black\" (appearance)");
    assertThat(c("a red ball", "a blue cube").explanation()).isEqualTo("\"red ball\" -> \"blue cube\" (appearance, structure)");
    // fillers alone change nothing; case and brackets are ignored
    assertThat(c("a apple on the table", "an [apple] on a table with a knife").explanation())
        .isEqualTo("added \"with a knife\" (structure)");
  }

  @Test
  void promptsWithoutADifferenceOrEmptyAreNamed() {
    assertThatThrownBy(() -> c("a cat", "A [cat]")).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("prompt: ");
    assertThatThrownBy(() -> c("", "a cat")).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("source prompt: ");
    assertThatThrownBy(() -> c("a cat", null)).isInstanceOf(InvalidInputException.class)
        .hasMessage("prompt: must not be null");
  }
}
