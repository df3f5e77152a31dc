package io.ptinv.eval;

import io.ptinv.InvalidInputException;
import io.ptinv.InversionMethod;
import io.ptinv.InversionOptions;
import io.ptinv.ProgressListener;
import io.ptinv.PtinvException;
import io.ptinv.image.Images;
import io.ptinv.torch.editing.PtiEditor;
import io.ptinv.torch.inversion.TorchTrajectory;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;

/**
 * The PTI paper's reconstruction table (Table 2): each image encoded and reconstructed (eta = 0) by the VAE alone, DDIM
 * inversion, Null-Text Inversion, PTI (N = 1, 5) and TODInv (all layers; with its loss and space ablations), with PSNR, SSIM (torchmetrics' form) and LPIPS (when its weights
 * are given) against the input, and seconds per image. The input is compared at the size the model worked at (resized
 * bicubically when the size policy changed it).
 */
public final class ReconstructionRun {
  /** A reconstruction method. */
  public enum Method {
    /** VAE encode + decode: the upper bound of every inversion */
    VAE("VAE only", null, 0),
    /** DDIM inversion, then DDIM sampling */
    DDIM("DDIM", InversionMethod.DDIM, 1),
    /** Null-Text Inversion */
    NTI("NTI", InversionMethod.NTI, 1),
    /** PTI, one optimiser step per timestep */
    PTI("PTI N=1", InversionMethod.PTI, 1),
    /** PTI, five optimiser steps per timestep */
    PTI5("PTI N=5", InversionMethod.PTI, 5),
    /** TODInv with every cross-attention layer optimised (a reconstruction has no edit task), guided loss */
    TODINV("TODInv, all layers", InversionMethod.TODINV, 1),
    /** TODInv, all layers, the loss on the conditional prediction alone */
    TODINV_UNGUIDED("TODInv, all layers, unguided loss", InversionMethod.TODINV, 1),
    /** TODInv's ablation: one embedding per timestep shared by all layers, optimised the same way */
    TODINV_SHARED("TODInv, one shared embedding", InversionMethod.TODINV, 1);

    private final String label;
    private final InversionMethod method;
    private final int innerSteps;

    Method(String label, InversionMethod method, int innerSteps) {
      this.label = label;
      this.method = method;
      this.innerSteps = innerSteps;
    }

    /** @return the name in tables */
    public String label() {
      return label;
    }

    /**
     * The inversion options of this method over {@code base} (steps, guidance, size policy; for TODInv its settings
     * with the task GLOBAL and this row's loss and space).
     *
     * @param base the shared settings
     * @return the options, or {@code base} for the VAE
     */
    public InversionOptions options(InversionOptions base) {
      if (method == null) {
        return base;
      }
      InversionOptions.Builder b = base.toBuilder().method(method).innerSteps(innerSteps);
      if (method == InversionMethod.TODINV) {
        b.todinv(base.todinv().withTask(io.ptinv.EditTask.GLOBAL).withGuided(this != TODINV_UNGUIDED)
            .withSharedEmbedding(this == TODINV_SHARED));
      }
      return b.build();
    }

    /**
     * Reconstructs {@code image}: VAE round trip, or inversion with {@code caption} then the eta = 0 edit.
     *
     * @param editor the model
     * @param image the input
     * @param caption the prompt the inversion uses
     * @param base the shared settings
     * @return the reconstruction
     */
    public BufferedImage reconstruct(PtiEditor editor, BufferedImage image, String caption, InversionOptions base) {
      if (method == null) {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
          return editor.model().decodeImage(editor.model().encodeImage(image, base.sizePolicy()));
        }
      }
      try (TorchTrajectory t = editor.invert(image, caption, options(base), ProgressListener.NONE)) {
        return editor.reconstruct(t, ProgressListener.NONE);
      }
    }
  }

  /**
   * One method's means.
   *
   * @param method the method
   * @param images images measured
   * @param psnr mean PSNR (dB)
   * @param ssim mean SSIM
   * @param lpips mean LPIPS, NaN when not computed
   * @param secondsPerImage mean seconds
   */
  public record Row(Method method, int images, double psnr, double ssim, double lpips, double secondsPerImage) {}

  /**
   * @param rows one per method
   * @param failed image → why it was skipped
   */
  public record Result(List<Row> rows, Map<String, String> failed) {}

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private ReconstructionRun() {}

  /** A finished item's (psnr, ssim, lpips, seconds), or null to measure it (absent, damaged, LPIPS now wanted). */
  private static double[] readItem(Path file, boolean wantLpips) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode a = JSON.readTree(file.toFile());
      double[] v = new double[4];
      for (int k = 0; k < 4; k++) {
        v[k] = Double.parseDouble(a.get(k).asText());
      }
      return wantLpips && Double.isNaN(v[2]) ? null : v;
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * @param editor the model
   * @param images the inputs
   * @param captions file name → caption (missing: the empty prompt)
   * @param methods which methods
   * @param base steps, guidance (the paper: 50, 7.5), size policy
   * @param lpips LPIPS, or null
   * @param itemsDir where each finished (image, method) is kept so that a restarted run skips it, or null
   * @param progress sees the number of (image, method) pairs done
   * @return means per method and the skipped images
   */
  public static Result run(PtiEditor editor, List<Path> images, Map<String, String> captions, List<Method> methods,
      InversionOptions base, Lpips lpips, Path itemsDir, IntConsumer progress) {
    InvalidInputException.check(!methods.isEmpty(), "methods", "at least one method", methods);
    double[][] sums = new double[methods.size()][4];
    int[] counts = new int[methods.size()];
    Map<String, String> failed = new LinkedHashMap<>();
    int done = 0;
    for (Path file : images) {
      BufferedImage input;
      try {
        input = Images.read(file);
      } catch (PtinvException e) {
        failed.put(file.getFileName().toString(), e.getMessage());
        done += methods.size();
        progress.accept(done);
        continue;
      }
      String caption = captions.getOrDefault(file.getFileName().toString(), "");
      for (int m = 0; m < methods.size(); m++) {
        String item = file.getFileName() + "." + methods.get(m).name().toLowerCase(Locale.ROOT) + ".json";
        try {
          double[] v = itemsDir == null ? null : readItem(itemsDir.resolve(item), lpips != null);
          if (v == null) {
            long t0 = System.nanoTime();
            BufferedImage out = methods.get(m).reconstruct(editor, input, caption, base);
            double seconds = (System.nanoTime() - t0) / 1e9;
            BufferedImage ref = input.getWidth() == out.getWidth() && input.getHeight() == out.getHeight() ? input
                : Images.resize(Images.toRgb(input), out.getWidth(), out.getHeight());
            EvalImage a = EvalImage.of(ref);
            EvalImage b = EvalImage.of(out);
            v = new double[] {PixelMetrics.psnr(a, b, null, MaskConvention.PIE_BENCH).value(),
                PixelMetrics.ssim(a, b, null, MaskConvention.PIE_BENCH).value(),
                lpips == null ? Double.NaN : lpips.distance(a, b, null).value(), seconds};
            if (itemsDir != null) {
              io.ptinv.files.OutputFiles.writeString(itemsDir.resolve(item), JSON.createArrayNode()
                  .add(Double.toString(v[0])).add(Double.toString(v[1])).add(Double.toString(v[2])).add(v[3]).toString());
            }
          }
          for (int k = 0; k < 4; k++) {
            sums[m][k] += v[k];
          }
          counts[m]++;
        } catch (PtinvException | UncheckedIOException e) {
          failed.put(file.getFileName() + " (" + methods.get(m).label() + ")", e.getMessage());
        }
        progress.accept(++done);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int m = 0; m < methods.size(); m++) {
      int n = counts[m];
      rows.add(new Row(methods.get(m), n, sums[m][0] / n, sums[m][1] / n, sums[m][2] / n, sums[m][3] / n));
    }
    return new Result(rows, failed);
  }

  /**
   * @param result the run
   * @param base its settings
   * @return a Markdown table (PSNR dB, SSIM, LPIPS, seconds per image) and the skipped images
   */
  public static String table(Result result, InversionOptions base) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "Reconstruction (eta = 0), %d steps, w = %s; PSNR and SSIM over the whole image (torchmetrics' form, "
            + "data range 1); LPIPS SqueezeNet.%n%n| method | images | PSNR | SSIM | LPIPS | s/image |%n"
            + "|---|---|---|---|---|---|%n", base.steps(), base.guidanceScale()));
    for (Row r : result.rows()) {
      sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.4f | %s | %.1f |%n", r.method().label(), r.images(),
          r.psnr(), r.ssim(), Double.isNaN(r.lpips()) ? "not computed" : String.format(Locale.ROOT, "%.4f", r.lpips()),
          r.secondsPerImage()));
    }
    if (!result.failed().isEmpty()) {
      sb.append("\nSkipped:\n\n");
      result.failed().forEach((k, why) -> sb.append("- ").append(k).append(": ").append(why).append('\n'));
    }
    return sb.toString();
  }
}
