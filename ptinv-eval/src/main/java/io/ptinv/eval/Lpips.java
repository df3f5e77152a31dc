package io.ptinv.eval;

import io.ptinv.InvalidInputException;
import io.ptinv.torch.io.LoadedParams;
import io.ptinv.torch.io.SafeTensorsFile;
import io.ptinv.torch.io.WeightSource;
import io.ptinv.torch.nn.Conv2d;
import io.ptinv.torch.nn.Params;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.runtime.Tensors;
import io.ptinv.torch.runtime.Torch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * LPIPS with the SqueezeNet 1.1 backbone (Zhang et al. 2018; torchmetrics 1.2's {@code net_type='squeeze'}, as PIE-Bench
 * uses it): inputs in [-1, 1], ScalingLayer, the seven feature taps of torchvision's {@code squeezenet1_1.features},
 * each unit-normalised over channels, squared difference, the learned 1x1 {@code lin} layer, spatial mean; LPIPS is
 * the sum of the seven terms. Weights: one safetensors file with torchvision's {@code features.*} keys and LPIPS v0.1's
 * {@code lin0..lin6.model.1.weight} (docs/evaluation.md says how to make it from the released checkpoints).
 */
public final class Lpips implements AutoCloseable {
  /** The ScalingLayer's shift and scale (lpips.py). */
  private static final float[] SHIFT = {-0.030f, -0.088f, -0.188f};
  private static final float[] SCALE = {0.458f, 0.448f, 0.450f};
  private static final double EPS = 1e-10;
  private static final int[] TAP_CHANNELS = {64, 128, 256, 384, 384, 512, 512};

  private final SafeTensorsFile file;
  private final LoadedParams params;
  private final Conv2d first;
  private final Fire[] fires = new Fire[13];
  private final Tensor[] lins = new Tensor[7];

  private Lpips(Path weights) {
    Torch.ensureLoaded(); // ptinv's own natives, before any tensor is made
    file = SafeTensorsFile.open(weights);
    params = new LoadedParams(WeightSource.of(file), ComputeDevice.CPU, Precision.FP32,
        Set.of("classifier.1.weight", "classifier.1.bias"));
    try (PointerScope scope = new PointerScope()) {
      Params f = params.sub("features");
      first = new Conv2d(f.sub("0"), 3, 64, 3, 2, 0);
      fires[3] = new Fire(f.sub("3"), 64, 16, 64, 64);
      fires[4] = new Fire(f.sub("4"), 128, 16, 64, 64);
      fires[6] = new Fire(f.sub("6"), 128, 32, 128, 128);
      fires[7] = new Fire(f.sub("7"), 256, 32, 128, 128);
      fires[9] = new Fire(f.sub("9"), 256, 48, 192, 192);
      fires[10] = new Fire(f.sub("10"), 384, 48, 192, 192);
      fires[11] = new Fire(f.sub("11"), 384, 64, 256, 256);
      fires[12] = new Fire(f.sub("12"), 512, 64, 256, 256);
      for (int k = 0; k < 7; k++) {
        lins[k] = params.get("lin" + k + ".model.1.weight", 1, TAP_CHANNELS[k], 1, 1);
      }
      params.finish("LPIPS (SqueezeNet 1.1) weights");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * @param weights the safetensors file (see the class comment)
   * @return the network on the CPU, fp32
   * @throws io.ptinv.ModelLoadException naming every missing, unexpected or mis-shaped key
   */
  public static Lpips load(Path weights) {
    InvalidInputException.requireNonNull(weights, "weights");
    return new Lpips(weights);
  }

  /**
   * LPIPS between two images under PIE-Bench's convention (both multiplied by the mask, then mapped to [-1, 1]).
   *
   * @param a one image
   * @param b the other, same size
   * @param region the part (H x W, true = inside), or null for the whole image
   * @return the sum of the seven terms, or not computed for an empty region
   */
  public Score distance(EvalImage a, EvalImage b, boolean[] region) {
    double[] layers = layers(a, b, region);
    if (layers == null) {
      return Score.skipped("empty mask");
    }
    double sum = 0;
    for (double l : layers) {
      sum += l;
    }
    return Score.of(sum);
  }

  /**
   * The seven per-tap terms whose sum is LPIPS (null for an empty region).
   *
   * @param a one image
   * @param b the other, same size
   * @param region the part, or null for the whole image
   * @return seven terms, or null when the region is empty
   */
  public double[] layers(EvalImage a, EvalImage b, boolean[] region) {
    InvalidInputException.requireNonNull(a, "a");
    InvalidInputException.requireNonNull(b, "b");
    InvalidInputException.check(a.height() == b.height() && a.width() == b.width(), "images", "the same size",
        a.width() + "x" + a.height() + " and " + b.width() + "x" + b.height());
    InvalidInputException.check(region == null || region.length == a.pixels(), "mask", a.pixels() + " values",
        region == null ? null : region.length);
    if (!PieBenchMask.any(region)) {
      return null;
    }
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      List<Tensor> fa = features(input(a, region));
      List<Tensor> fb = features(input(b, region));
      double[] out = new double[7];
      for (int k = 0; k < 7; k++) {
        Tensor d = unit(fa.get(k)).sub(unit(fb.get(k))).pow(new Scalar(2));
        Tensor weighted = d.mul(lins[k]).sum(new long[] {1}, true, new ScalarTypeOptional());
        out[k] = weighted.mean(new long[] {2, 3}, true, new ScalarTypeOptional()).item_double();
      }
      return out;
    }
  }

  /** {@code (img * mask) * 2 - 1}, then the ScalingLayer; {@code [1, 3, H, W]}. */
  private static Tensor input(EvalImage img, boolean[] region) {
    int plane = img.pixels();
    float[] v = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        float x = region == null || region[i] ? img.values()[c * plane + i] : 0f;
        v[c * plane + i] = (x * 2 - 1 - SHIFT[c]) / SCALE[c];
      }
    }
    return Tensors.fromFloats(v, 1, 3, img.height(), img.width());
  }

  /** The seven taps: after features[0:2], [2:5], [5:8], [8:10], [10], [11], [12]. */
  private List<Tensor> features(Tensor x) {
    List<Tensor> taps = new ArrayList<>();
    Tensor h = torch.relu(first.forward(x));
    taps.add(h);
    h = fires[4].forward(fires[3].forward(pool(h)));
    taps.add(h);
    h = fires[7].forward(fires[6].forward(pool(h)));
    taps.add(h);
    h = fires[9].forward(pool(h));
    taps.add(h);
    for (int i = 10; i <= 12; i++) {
      h = fires[i].forward(h);
      taps.add(h);
    }
    return taps;
  }

  /** MaxPool 3x3, stride 2, ceil_mode (torchvision's SqueezeNet 1.1). */
  private static Tensor pool(Tensor x) {
    return torch.max_pool2d(x, new long[] {3, 3}, new long[] {2, 2}, new long[] {0, 0}, new long[] {1, 1}, true);
  }

  /** {@code f / (sqrt(sum_c f^2) + 1e-10)}. */
  private static Tensor unit(Tensor f) {
    Tensor norm = torch.sqrt(f.pow(new Scalar(2)).sum(new long[] {1}, true, new ScalarTypeOptional()));
    return f.div(norm.add(new Scalar(EPS)));
  }


  @Override
  public void close() {
    params.releaseAll();
    file.close();
  }

  /** SqueezeNet's Fire module: ReLU(squeeze 1x1), then [ReLU(expand 1x1), ReLU(expand 3x3, pad 1)] on channels. */
  private static final class Fire {
    final Conv2d squeeze;
    final Conv2d expand1;
    final Conv2d expand3;

    Fire(Params p, int in, int squeezeChannels, int e1, int e3) {
      squeeze = new Conv2d(p.sub("squeeze"), in, squeezeChannels, 1, 1, 0);
      expand1 = new Conv2d(p.sub("expand1x1"), squeezeChannels, e1, 1, 1, 0);
      expand3 = new Conv2d(p.sub("expand3x3"), squeezeChannels, e3, 3, 1, 1);
    }

    Tensor forward(Tensor x) {
      Tensor s = torch.relu(squeeze.forward(x));
      return torch.cat(new TensorVector(torch.relu(expand1.forward(s)), torch.relu(expand3.forward(s))), 1);
    }
  }
}
