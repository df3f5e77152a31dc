package io.ptinv.examples.bench;

import io.ptinv.EditOptions;
import io.ptinv.EditTask;
import io.ptinv.InversionMethod;
import io.ptinv.InversionOptions;
import io.ptinv.P2pOptions;
import io.ptinv.ProgressListener;
import io.ptinv.Stage;
import io.ptinv.TodInvOptions;
import io.ptinv.eval.StageTimer;
import io.ptinv.image.SizePolicy;
import io.ptinv.torch.editing.PtiEditor;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.GpuMemory;
import io.ptinv.torch.runtime.NativeMemory;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-stage timing of whole edits (encode, invert, tune, edit, decode) through the public editing API, one method at a
 * time: one warm-up edit, then {@code repeats} timed edits, the median of each stage reported, with the peak resident
 * memory of the process and (on CUDA) the caching allocator's peak. Stages are timed by {@link StageTimer} (they add up
 * to the edit; set-up counts with the stage it precedes).
 */
public final class SpeedBenchmark {

  /** A timed method. */
  public enum Method {
    /** DDIM inversion and plain editing. */
    DDIM("DDIM"),
    /** PTI, one optimiser step per timestep. */
    PTI("PTI N=1"),
    /** PTI, five optimiser steps per timestep. */
    PTI5("PTI N=5"),
    /** Null-Text Inversion (10 inner steps at most, early stop). */
    NTI("NTI"),
    /** TODInv with every layer optimised and no early stop (K = 10 AdamW steps at every timestep), P2P editing. */
    TODINV("TODInv K=10 + P2P");

    private final String label;

    Method(String label) {
      this.label = label;
    }

    /** @return the name in tables */
    public String label() {
      return label;
    }
  }

  /**
   * One method's medians.
   *
   * @param stageSeconds median seconds per stage that ran, in pipeline order
   * @param totalSeconds median seconds of the whole edit
   * @param peakResidentBytes the process's peak resident memory over the timed edits (-1 where not reported)
   * @param peakGpuBytes the CUDA allocator's peak over the timed edits (-1 on the CPU or where not reported)
   */
  public record Row(String method, Map<Stage, Double> stageSeconds, double totalSeconds, long peakResidentBytes,
      long peakGpuBytes) {}

  private static final String SOURCE = "a photo of a red circle on a blue background";
  private static final String TARGET = "a photo of a green circle on a blue background";

  private final PtiEditor editor;
  private final ComputeDevice device;
  private final int size;
  private final int steps;
  private final double guidance;
  private final int repeats;

  /**
   * @param size the image side in pixels (a multiple of 8)
   * @param repeats timed edits per method after the warm-up
   */
  public SpeedBenchmark(PtiEditor editor, ComputeDevice device, int size, int steps, double guidance, int repeats) {
    this.editor = editor;
    this.device = device;
    this.size = size;
    this.steps = steps;
    this.guidance = guidance;
    this.repeats = repeats;
  }

  /** Times each method; {@code onRow} sees each row as soon as it is measured. */
  public List<Row> run(List<Method> methods, java.util.function.Consumer<Row> onRow) {
    BufferedImage image = testImage(size);
    List<Row> rows = new ArrayList<>();
    for (Method m : methods) {
      EditOptions options = options(m);
      time(image, options); // warm-up: first-call allocations and kernel selection are not timed
      boolean peakReset = NativeMemory.resetPeakResident();
      GpuMemory.resetPeak(device);
      List<Map<Stage, Double>> runs = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        runs.add(time(image, options));
      }
      long peak = peakReset ? NativeMemory.peakResidentBytes() : -1;
      Row row = new Row(m.label(), medians(runs), median(runs.stream().mapToDouble(SpeedBenchmark::sum).toArray()),
          peak, GpuMemory.peakAllocatedBytes(device).orElse(-1));
      rows.add(row);
      onRow.accept(row);
    }
    return rows;
  }

  EditOptions options(Method m) {
    InversionOptions.Builder inv = InversionOptions.builder().steps(steps).guidanceScale(guidance)
        .sizePolicy(SizePolicy.resize().withTarget(size, size));
    EditOptions.Builder edit = EditOptions.builder();
    switch (m) {
      case DDIM -> inv.method(InversionMethod.DDIM);
      case PTI -> inv.method(InversionMethod.PTI).innerSteps(1);
      case PTI5 -> inv.method(InversionMethod.PTI).innerSteps(5);
      case NTI -> inv.method(InversionMethod.NTI);
      case TODINV -> {
        // stop loss 0: all K iterations at every timestep, the method's most expensive case
        inv.method(InversionMethod.TODINV).todinv(new TodInvOptions(EditTask.GLOBAL, TodInvOptions.DEFAULT_MAX_ITERATIONS,
            TodInvOptions.DEFAULT_LEARNING_RATE, 0, true, true, false));
        edit.sourcePrompt(SOURCE).p2p(P2pOptions.defaults());
      }
      default -> throw new IllegalArgumentException(m.name());
    }
    return edit.inversion(inv.build()).build();
  }

  private Map<Stage, Double> time(BufferedImage image, EditOptions options) {
    StageTimer timer = new StageTimer(() -> GpuMemory.synchronize(device), ProgressListener.NONE);
    editor.edit(image, TARGET, options, timer);
    return timer.seconds();
  }

  private static double sum(Map<Stage, Double> m) {
    return m.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  static Map<Stage, Double> medians(List<Map<Stage, Double>> runs) {
    Map<Stage, Double> out = new LinkedHashMap<>();
    for (Stage s : Stage.values()) {
      double[] v = runs.stream().filter(r -> r.containsKey(s)).mapToDouble(r -> r.get(s)).toArray();
      if (v.length > 0) {
        out.put(s, median(v));
      }
    }
    return out;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** A red disc on a blue background: content does not change timings, but a real picture keeps the VAE honest. */
  static BufferedImage testImage(int side) {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = img.createGraphics();
    g.setColor(new java.awt.Color(40, 60, 200));
    g.fillRect(0, 0, side, side);
    g.setColor(new java.awt.Color(210, 30, 30));
    g.fillOval(side / 4, side / 4, side / 2, side / 2);
    g.dispose();
    return img;
  }
}
