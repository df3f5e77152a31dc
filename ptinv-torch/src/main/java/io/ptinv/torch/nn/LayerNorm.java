package io.ptinv.torch.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** Layer normalisation over the last dimension with affine {@code weight}, {@code bias}. */
public final class LayerNorm {
  private final Tensor weight;
  private final Tensor bias;
  private final long[] shape;
  private final double eps;

  public LayerNorm(Params p, long dim, double eps) {
    this.weight = p.get("weight", dim);
    this.bias = p.get("bias", dim);
    this.shape = new long[] {dim};
    this.eps = eps;
  }

  public Tensor forward(Tensor x) {
    return torch.layer_norm(x, shape, new TensorOptional(weight), new TensorOptional(bias), eps, true);
  }
}
