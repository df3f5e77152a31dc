package io.ptinv.torch.nn;

import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Seeded random parameters for tests and benchmarks: weights ~ N(0, 1/fan_in), biases ~ N(0, 0.02^2),
 * normalisation weights ~ 1 + N(0, 0.02^2), embeddings ~ N(0, 0.02^2). Deterministic for a seed.
 */
public final class RandomParams extends ParamStore {
  private final ComputeDevice device;
  private final Precision precision;
  private final boolean trainable;

  public RandomParams(long seed, ComputeDevice device, Precision precision) {
    this(seed, device, precision, false);
  }

  /** @param trainable whether the parameters are leaves that require gradients (for training) */
  public RandomParams(long seed, ComputeDevice device, Precision precision, boolean trainable) {
    this.device = device;
    this.precision = precision;
    this.trainable = trainable;
    io.ptinv.torch.runtime.Torch.manualSeed(seed);
  }

  @Override
  protected Tensor create(String name, long[] shape) {
    Tensor noise = torch.randn(shape);
    Tensor value;
    boolean isNorm = name.contains("norm") && shape.length == 1;
    if (name.endsWith("bias")) {
      value = noise.mul(new Scalar(0.02));
    } else if (isNorm) {
      value = noise.mul(new Scalar(0.02)).add(new Scalar(1.0));
    } else if (shape.length == 1 || name.contains("embedding")) {
      value = noise.mul(new Scalar(0.02));
    } else {
      long fanIn = 1;
      for (int i = 1; i < shape.length; i++) {
        fanIn *= shape[i];
      }
      value = noise.mul(new Scalar(1.0 / Math.sqrt(fanIn)));
    }
    Tensor out = value.to(device.toTorch(), precision.scalarType()).detach();
    return trainable ? out.requires_grad_(true) : out;
  }

  /** Options for tensors on this source's device and dtype. */
  public TensorOptions options() {
    return new TensorOptions(precision.scalarType()).device(new org.bytedeco.pytorch.DeviceOptional(device.toTorch()));
  }
}
