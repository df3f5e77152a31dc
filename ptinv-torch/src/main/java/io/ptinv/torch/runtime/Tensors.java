package io.ptinv.torch.runtime;

import io.ptinv.TensorData;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Copies between LibTorch tensors and Java arrays. Each method creates tensors in the caller's scope. */
public final class Tensors {
  private Tensors() {}

  /** A new float32 CPU tensor holding a copy of {@code values} with {@code shape}. */
  public static Tensor fromFloats(float[] values, long... shape) {
    Torch.ensureLoaded();
    return Tensor.create(values, shape);
  }

  /** A copy of the tensor's values as float32, row-major (moved to CPU and converted as needed). */
  public static float[] toFloats(Tensor tensor) {
    Tensor cpu = tensor.detach().to(ComputeDevice.CPU.toTorch(), ScalarType.Float).contiguous();
    try {
      float[] out = new float[Math.toIntExact(cpu.numel())];
      FloatBuffer buf = cpu.createBuffer();
      buf.get(out);
      return out;
    } finally {
      cpu.close();
    }
  }

  /** A copy of the tensor's values as float64, row-major (integers up to 2^53 exactly; moved to CPU as needed). */
  public static double[] toDoubles(Tensor tensor) {
    Tensor cpu = tensor.detach().to(ComputeDevice.CPU.toTorch(), ScalarType.Double).contiguous();
    try {
      double[] out = new double[Math.toIntExact(cpu.numel())];
      DoubleBuffer buf = cpu.createBuffer();
      buf.get(out);
      return out;
    } finally {
      cpu.close();
    }
  }

  /** A float32 copy of {@code tensor} (any device or float type) in the API's native-free form. */
  public static TensorData toData(Tensor tensor) {
    return TensorData.of(toFloats(tensor), tensor.shape());
  }

  /** {@code data} as a new float32 CPU tensor of its shape. */
  public static Tensor fromData(TensorData data) {
    return fromFloats(data.values(), data.shape());
  }
}
