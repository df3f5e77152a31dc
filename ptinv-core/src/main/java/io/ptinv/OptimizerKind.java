package io.ptinv;

/** The optimiser of the per-timestep embedding update. */
public enum OptimizerKind {
  /** Adam with a fresh state at every timestep, as the Null-Text Inversion code that PTI builds on. */
  ADAM,
  /** Plain gradient descent {@code c <- c - lr * grad}, the literal form of the paper's update. */
  SGD,
  /**
   * AdamW (Loshchilov and Hutter 2019): Adam with decoupled weight decay {@code c <- c - lr * 0.01 * c} before the
   * Adam step (PyTorch's default decay of 0.01), as TODInv optimises its embeddings.
   */
  ADAMW
}
