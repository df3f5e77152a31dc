package io.ptinv;

/** The optimiser of the per-timestep embedding update. */
public enum OptimizerKind {
  /** Adam with a fresh state at every timestep, as the Null-Text Inversion code that PTI builds on. */
  ADAM,
  /** Plain gradient descent {@code c <- c - lr * grad}, the literal form of the paper's update. */
  SGD
}
