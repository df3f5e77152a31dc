package io.ptinv;

import java.util.List;

/**
 * What an {@link Inverter} produces and an {@link Editor} samples from: the inverted start latent
 * {@code z*_T}, one tuned embedding per DDIM step (and, for TODInv's extended space, per step and
 * cross-attention layer), and everything needed to reproduce the numbers: schedule, timesteps, guidance,
 * options and the identity of the model that made it.
 *
 * <p>Implementations may keep the tensors in native memory (and are then closed to free it); the
 * accessors here copy them into Java as {@link TensorData}. Saving and loading is done by the backend
 * ({@code TrajectoryFiles} in ptinv-torch).
 */
public interface EmbeddingTrajectory extends AutoCloseable {

  /** The schedule the trajectory was made with. */
  Schedule schedule();

  /** The options the inversion ran with (steps, guidance, inner steps, learning rate, method). */
  InversionOptions options();

  /** The prompt whose embedding was tuned (PTI) or held fixed (NTI). */
  String prompt();

  /** Identity of the model that produced it (a hash of its weights' headers). */
  String modelId();

  /** The DDIM timesteps, noisiest first; {@code embedding(i, ...)} belongs to {@code timesteps().get(i)}. */
  List<Integer> timesteps();

  /** Cross-attention layers with their own embedding: 1 for PTI/NTI, 16 for TODInv on SD v1. */
  int layers();

  /** The inverted latent {@code z*_T} the edit starts from, shape {@code [1, C, h, w]}. */
  TensorData startLatent();

  /** The tuned embedding for step {@code step} and layer {@code layer}, shape {@code [1, 77, hidden]}. */
  TensorData embedding(int step, int layer);

  /** Frees native memory, if any; later accessor calls fail. */
  @Override
  void close();
}
