package io.ptinv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScheduleTest {
  private final Schedule sd = Schedule.stableDiffusion();

  @Test
  void firstAndLastBetasAreTheConfiguredEnds() {
    // alphaBar(0) = 1 - beta_0 and beta_0 = sqrt(0.00085)^2 = 0.00085 exactly in closed form.
    assertThat(sd.alphaBar(0)).isCloseTo(1 - 0.00085, within(1e-15));
    double beta999 = 1 - sd.alphaBar(999) / sd.alphaBar(998);
    assertThat(beta999).isCloseTo(0.012, within(1e-12));
  }

  @Test
  void alphaBarIsTheProductOfOneMinusScaledLinearBetas() {
    double prod = 1;
    for (int i = 0; i <= 500; i++) {
      double s = Math.sqrt(0.00085) + (Math.sqrt(0.012) - Math.sqrt(0.00085)) * i / 999.0;
      prod *= 1 - s * s;
    }
    assertThat(sd.alphaBar(500)).isCloseTo(prod, within(1e-14));
  }

  @Test
  void alphaBarDecreasesStrictly() {
    double[] a = sd.alphasCumprod();
    assertThat(a).hasSize(1000);
    for (int i = 1; i < a.length; i++) {
      assertThat(a[i]).isLessThan(a[i - 1]);
    }
  }

  @Test
  void fiftyStepTimestepsMatchStableDiffusion() {
    int[] ts = sd.timesteps(50);
    assertThat(ts).hasSize(50);
    assertThat(ts[0]).isEqualTo(981);
    assertThat(ts[1]).isEqualTo(961);
    assertThat(ts[49]).isEqualTo(1);
    assertThat(sd.previousTimestep(981, 50)).isEqualTo(961);
    assertThat(sd.previousTimestep(1, 50)).isEqualTo(-19);
    assertThat(sd.timesteps(10)).containsExactly(901, 801, 701, 601, 501, 401, 301, 201, 101, 1);
  }

  @Test
  void finalAlphaFollowsSetAlphaToOne() {
    assertThat(sd.alphaBar(-19)).isEqualTo(sd.alphaBar(0));
    Schedule one = Schedule.of(1000, 0.00085, 0.012, Schedule.BetaSchedule.SCALED_LINEAR, 1, true);
    assertThat(one.alphaBar(-1)).isEqualTo(1.0);
  }

  @Test
  void linearBetasAreLinear() {
    Schedule lin = Schedule.of(10, 0.1, 0.2, Schedule.BetaSchedule.LINEAR, 0, false);
    assertThat(1 - lin.alphaBar(1) / lin.alphaBar(0)).isCloseTo(0.1 + 0.1 / 9, within(1e-12));
    assertThat(lin.timesteps(5)).containsExactly(8, 6, 4, 2, 0);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> sd.timesteps(0)).isInstanceOf(InvalidInputException.class).hasMessageContaining("steps");
    assertThatThrownBy(() -> sd.alphaBar(1000)).isInstanceOf(InvalidInputException.class).hasMessageContaining("t");
    assertThatThrownBy(() -> Schedule.of(1000, 0.02, 0.01, Schedule.BetaSchedule.LINEAR, 1, false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("betas");
  }

  @Test
  void equalSchedulesAreEqual() {
    assertThat(Schedule.stableDiffusion()).isEqualTo(sd).hasSameHashCodeAs(sd);
    assertThat(Schedule.of(1000, 0.00085, 0.012, Schedule.BetaSchedule.LINEAR, 1, false)).isNotEqualTo(sd);
  }
}
