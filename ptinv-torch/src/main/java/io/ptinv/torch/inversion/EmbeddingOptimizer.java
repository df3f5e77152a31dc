package io.ptinv.torch.inversion;

import io.ptinv.OptimizerKind;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The per-timestep update of one embedding, a fresh instance per timestep. Adam (Kingma and Ba 2015, Alg. 1,
 * betas 0.9/0.999, eps 1e-8, PyTorch's defaults) as in the Null-Text Inversion code PTI builds on, or plain
 * gradient descent {@code c <- c - lr * grad} (the paper's Eq. 8 taken literally), or AdamW (Loshchilov and Hutter
 * 2019, PyTorch's form: {@code c <- c (1 - lr * 0.01)}, then the Adam step) as TODInv optimises.
 */
final class EmbeddingOptimizer {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;
  /** PyTorch's default AdamW weight decay. */
  static final double WEIGHT_DECAY = 0.01;

  private final OptimizerKind kind;
  private Tensor m;
  private Tensor v;
  private int t;

  EmbeddingOptimizer(OptimizerKind kind) {
    this.kind = kind;
  }

  /**
   * The updated embedding (a new tensor without gradient history). Moment tensors are made in the
   * caller's scope, which must outlive this optimiser's steps for the timestep.
   */
  Tensor step(Tensor param, Tensor grad, double lr) {
    if (kind == OptimizerKind.SGD) {
      return param.detach().sub(grad.mul(new Scalar(lr)));
    }
    Tensor base = param.detach();
    if (kind == OptimizerKind.ADAMW) {
      base = base.mul(new Scalar(1 - lr * WEIGHT_DECAY)); // decoupled weight decay, before the moments' step
    }
    t++;
    m = m == null ? grad.mul(new Scalar(1 - BETA1)) : m.mul(new Scalar(BETA1)).add(grad.mul(new Scalar(1 - BETA1)));
    Tensor g2 = grad.mul(grad);
    v = v == null ? g2.mul(new Scalar(1 - BETA2)) : v.mul(new Scalar(BETA2)).add(g2.mul(new Scalar(1 - BETA2)));
    double bias1 = 1 - Math.pow(BETA1, t);
    double bias2 = 1 - Math.pow(BETA2, t);
    // theta <- theta - lr * m_hat / (sqrt(v_hat) + eps), with m_hat = m / bias1, v_hat = v / bias2
    Tensor denom = torch.sqrt(v.div(new Scalar(bias2))).add(new Scalar(EPS));
    return base.sub(m.div(denom).mul(new Scalar(lr / bias1)));
  }
}
