package io.ptinv.torch.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** Group normalisation over {@code [B, C, ...]} with affine {@code weight [C]}, {@code bias [C]}. */
public final class GroupNorm {
  private final Tensor weight;
  private final Tensor bias;
  private final long groups;
  private final double eps;

  public GroupNorm(Params p, long groups, long channels, double eps) {
    this.weight = p.get("weight", channels);
    this.bias = p.get("bias", channels);
    this.groups = groups;
    this.eps = eps;
  }

  public Tensor forward(Tensor x) {
    return torch.group_norm(x, groups, new TensorOptional(weight), new TensorOptional(bias), eps, true);
  }
}
