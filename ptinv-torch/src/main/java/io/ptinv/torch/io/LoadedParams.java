package io.ptinv.torch.io;

import io.ptinv.ModelLoadException;
import io.ptinv.torch.nn.ParamStore;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.runtime.Scopes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.pytorch.Tensor;

/**
 * Parameters read from a {@link WeightSource}, converted to the model's device and precision. Problems are
 * collected while the module is built and reported together by {@link #finish(String)}: every missing key, every
 * unexpected key and every shape mismatch, by name, in one {@link ModelLoadException}. A 1x1 convolution
 * stored where a linear layer is expected (or the reverse) is reshaped, as original LDM checkpoints need.
 */
public final class LoadedParams extends ParamStore {
  private final WeightSource source;
  private final ComputeDevice device;
  private final Precision precision;
  private final Set<String> ignorable;
  private final Set<String> used = new HashSet<>();
  private final List<String> missing = new ArrayList<>();
  private final List<String> misshaped = new ArrayList<>();

  /**
   * @param ignorable keys that may be present without being used (e.g. {@code position_ids} buffers)
   */
  public LoadedParams(WeightSource source, ComputeDevice device, Precision precision, Set<String> ignorable) {
    this.source = source;
    this.device = device;
    this.precision = precision;
    this.ignorable = ignorable;
  }

  @Override
  protected Tensor create(String name, long[] shape) {
    if (!source.names().contains(name)) {
      missing.add(name + " " + Arrays.toString(shape));
      return null;
    }
    used.add(name);
    long[] stored = source.shape(name);
    if (!Arrays.equals(stored, shape) && !sameIgnoringUnitDims(stored, shape)) {
      misshaped.add(name + ": expected " + Arrays.toString(shape) + " but found " + Arrays.toString(stored));
      return null;
    }
    // the stored copy is freed as soon as the converted tensor exists: peak memory stays one tensor
    return Scopes.returning(
        () -> source.read(name).reshape(shape).to(device.toTorch(), precision.scalarType()).contiguous());
  }

  private static boolean sameIgnoringUnitDims(long[] a, long[] b) {
    return Arrays.equals(stripUnit(a), stripUnit(b));
  }

  private static long[] stripUnit(long[] s) {
    int n = s.length;
    while (n > 2 && s[n - 1] == 1) {
      n--;
    }
    return Arrays.copyOf(s, n);
  }

  /** Throws one {@link ModelLoadException} listing every problem, if there was any. */
  public void finish(String what) {
    Set<String> unexpected = new TreeSet<>(source.names());
    unexpected.removeAll(used);
    unexpected.removeAll(ignorable);
    if (missing.isEmpty() && misshaped.isEmpty() && unexpected.isEmpty()) {
      return;
    }
    StringBuilder msg = new StringBuilder(source.describe()).append(": cannot load ").append(what).append(':');
    append(msg, "missing", missing);
    append(msg, "wrong shape", misshaped);
    append(msg, "unexpected", new ArrayList<>(unexpected));
    releaseAll();
    throw new ModelLoadException(msg.toString());
  }

  private static void append(StringBuilder msg, String kind, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    msg.append("\n  ").append(items.size()).append(' ').append(kind).append(':');
    int shown = 0;
    for (String item : items) {
      if (shown++ == 20) {
        msg.append("\n    ... and ").append(items.size() - 20).append(" more");
        break;
      }
      msg.append("\n    ").append(item);
    }
  }
}
