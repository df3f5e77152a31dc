package io.ptinv.torch.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** 2-D convolution with square kernel; parameters {@code weight [out, in, k, k]} and {@code bias [out]}. */
public final class Conv2d {
  private final Tensor weight;
  private final Tensor bias;
  private final long[] stride;
  private final long[] padding;
  private static final long[] DILATION = {1, 1};

  public Conv2d(Params p, long in, long out, int kernel, int stride, int padding) {
    this.weight = p.get("weight", out, in, kernel, kernel);
    this.bias = p.get("bias", out);
    this.stride = new long[] {stride, stride};
    this.padding = new long[] {padding, padding};
  }

  /** The weights' scalar type (the module's precision). */
  public org.bytedeco.pytorch.global.torch.ScalarType dtype() {
    return weight.scalar_type();
  }

  public Tensor forward(Tensor x) {
    return torch.conv2d(x, weight, new TensorOptional(bias), stride, padding, DILATION, 1);
  }
}
