package io.ptinv.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ptinv.torch.runtime.ComputeDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schedule's closed form, and that the trainer's optimiser really runs at the scheduled rate. */
class LrScheduleTest {
  @TempDir Path dir;

  @Test
  void cosineFallsFromTheBaseRateToZero() {
    assertThat(LrSchedule.COSINE.at(1e-3, 0, 100)).isEqualTo(1e-3);
    assertThat(LrSchedule.COSINE.at(1e-3, 50, 100)).isCloseTo(5e-4, within(1e-12));
    assertThat(LrSchedule.COSINE.at(1e-3, 25, 100)).isCloseTo(1e-3 * (1 + Math.sqrt(0.5)) / 2, within(1e-12));
    assertThat(LrSchedule.COSINE.at(1e-3, 100, 100)).isCloseTo(0, within(1e-18));
    assertThat(LrSchedule.CONSTANT.at(1e-3, 99, 100)).isEqualTo(1e-3);
  }

  @Test
  void theTrainerRunsAtTheScheduledRate() {
    // cosine over 3 steps: step 0 at the full rate (same update as constant), step 1 at 0.75 lr -> a different third loss
    List<Double> constant = losses(LrSchedule.CONSTANT, "a");
    List<Double> cosine = losses(LrSchedule.COSINE, "b");
    assertThat(cosine.get(0)).isEqualTo(constant.get(0));
    assertThat(cosine.get(1)).isEqualTo(constant.get(1)); // loss of step 1 is computed before its update
    assertThat(cosine.get(2)).isNotEqualTo(constant.get(2));
  }

  private List<Double> losses(LrSchedule schedule, String sub) {
    List<Double> out = new ArrayList<>();
    try (ShapesTrainer t = new ShapesTrainer(dir.resolve(sub), 8, ComputeDevice.CPU)) {
      t.useLrSchedule(schedule);
      t.trainVae(0, 3, 2, 2e-3, 100, (p, s, n, loss) -> out.add(loss));
    }
    return out;
  }
}
