package io.ptinv.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.ProgressEvent;
import io.ptinv.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StageTimerTest {

  private static ProgressEvent event(Stage s, int step, int total) {
    return new ProgressEvent(s, step, total, Duration.ZERO);
  }

  @Test
  void stagesAreContiguousAddUpAndSyncOncePerStageEnd() throws Exception {
    AtomicInteger syncs = new AtomicInteger();
    List<ProgressEvent> forwarded = new ArrayList<>();
    StageTimer timer = new StageTimer(syncs::incrementAndGet, e -> forwarded.add(e) && e.stage() != Stage.DECODE);
    long t0 = System.nanoTime();
    Thread.sleep(20);
    assertThat(timer.onProgress(event(Stage.INVERT, 1, 2))).isTrue();
    Thread.sleep(20);
    assertThat(timer.onProgress(event(Stage.INVERT, 2, 2))).isTrue();
    Thread.sleep(30);
    timer.onProgress(event(Stage.EDIT, 1, 1));
    Thread.sleep(10);
    timer.onProgress(event(Stage.EDIT, 1, 1)); // a second edit (another eta) adds to the stage
    assertThat(timer.onProgress(event(Stage.DECODE, 1, 1))).as("the forwarded listener decides").isFalse();
    double wall = (System.nanoTime() - t0) / 1e9;
    assertThat(syncs.get()).isEqualTo(4);
    assertThat(forwarded).hasSize(5);
    var s = timer.seconds();
    assertThat(s.keySet()).containsExactly(Stage.INVERT, Stage.EDIT, Stage.DECODE);
    assertThat(s.get(Stage.INVERT)).isGreaterThanOrEqualTo(0.040);
    assertThat(s.get(Stage.EDIT)).isGreaterThanOrEqualTo(0.040);
    double sum = s.values().stream().mapToDouble(Double::doubleValue).sum();
    assertThat(sum).isLessThanOrEqualTo(wall).isGreaterThan(wall - 0.010);
  }
}
