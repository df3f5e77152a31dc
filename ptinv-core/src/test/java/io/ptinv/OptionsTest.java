package io.ptinv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void defaultsAreThePapers() {
    EditOptions o = EditOptions.defaults();
    assertThat(o.eta()).isEqualTo(0.9);
    assertThat(o.inversion().steps()).isEqualTo(50);
    assertThat(o.inversion().guidanceScale()).isEqualTo(7.5);
    assertThat(o.inversion().innerSteps()).isEqualTo(1);
    assertThat(o.inversion().learningRate()).isEqualTo(0.1);
    assertThat(o.inversion().optimizer()).isEqualTo(OptimizerKind.ADAM);
    assertThat(o.inversion().method()).isEqualTo(InversionMethod.PTI);
  }

  @Test
  void builderSetsEveryField() {
    EditOptions o =
        EditOptions.builder().steps(10).guidanceScale(3).innerSteps(5).learningRate(0.01).eta(0.5).seed(7).build();
    assertThat(o.inversion().steps()).isEqualTo(10);
    assertThat(o.inversion().guidanceScale()).isEqualTo(3);
    assertThat(o.inversion().innerSteps()).isEqualTo(5);
    assertThat(o.inversion().learningRate()).isEqualTo(0.01);
    assertThat(o.eta()).isEqualTo(0.5);
    assertThat(o.seed()).isEqualTo(7);
    assertThat(o.withEta(1.0).eta()).isEqualTo(1.0);
    assertThat(o.inversion().toBuilder().build()).isEqualTo(o.inversion());
  }

  @Test
  void etaOutsideUnitIntervalIsRejected() {
    for (double eta : new double[] {-0.01, 1.01, Double.NaN}) {
      assertThatThrownBy(() -> EditOptions.builder().eta(eta).build())
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("eta")
          .hasMessageContaining("[0, 1]")
          .satisfies(e -> assertThat(((InvalidInputException) e).argument()).isEqualTo("eta"));
    }
  }

  @Test
  void stepsBelowOneIsRejected() {
    assertThatThrownBy(() -> InversionOptions.builder().steps(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("steps:")
        .hasMessageContaining("got 0");
  }

  @Test
  void negativeGuidanceIsRejected() {
    assertThatThrownBy(() -> EditOptions.builder().guidanceScale(-1).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("guidanceScale:")
        .hasMessageContaining(">= 0");
  }

  @Test
  void nonPositiveLearningRateAndNegativeInnerStepsAreRejected() {
    assertThatThrownBy(() -> InversionOptions.builder().learningRate(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("learningRate:");
    assertThatThrownBy(() -> InversionOptions.builder().innerSteps(-1).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("innerSteps:");
  }

  @Test
  void tensorDataChecksShape() {
    TensorData t = TensorData.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertThat(t.shape()).containsExactly(2, 3);
    assertThat(t).isEqualTo(TensorData.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    assertThatThrownBy(() -> TensorData.of(new float[5], 2, 3))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("6 values");
  }
}
