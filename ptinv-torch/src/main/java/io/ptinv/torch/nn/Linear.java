package io.ptinv.torch.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** {@code y = x W^T + b}; parameters {@code weight [out, in]} and optionally {@code bias [out]}. */
public final class Linear {
  private final Tensor weight;
  private final Tensor bias;

  public Linear(Params p, long in, long out, boolean withBias) {
    this.weight = p.get("weight", out, in);
    this.bias = withBias ? p.get("bias", out) : null;
  }

  public Tensor forward(Tensor x) {
    return bias == null ? torch.linear(x, weight) : torch.linear(x, weight, new TensorOptional(bias));
  }
}
