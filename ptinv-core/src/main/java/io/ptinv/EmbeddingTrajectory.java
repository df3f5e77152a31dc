package io.ptinv;

import java.util.List;

/**
 * What an {@link Inverter} produces and an {@link Editor} samples from: the DDIM inversion latents
 * {@code z*_0 .. z*_T}, one conditional and one unconditional embedding per DDIM step (PTI tunes the
 * conditional one, NTI the unconditional one; TODInv's extended space has one conditional embedding per
 * step and cross-attention layer), and everything needed to reproduce the numbers: schedule, timesteps,
 * options and the identity of the model that made it.
 *
 * <p>Step {@code i} belongs to timestep {@code timesteps().get(i)}, noisiest first, and is the one used to
 * go from {@code z_{t}} to {@code z_{t - T/steps}}. Implementations may keep the tensors in native memory
 * (and are then closed to free it); the accessors here copy them into Java as {@link TensorData}. Saving
 * and loading is done by the backend ({@code TrajectoryFiles} in ptinv-torch).
 */
public interface EmbeddingTrajectory extends AutoCloseable {

  /** The schedule the trajectory was made with. */
  Schedule schedule();

  /** The options the inversion ran with (steps, guidance, inner steps, learning rate, method). */
  InversionOptions options();

  /** The prompt whose embedding was tuned (PTI) or held fixed (NTI, DDIM). */
  String prompt();

  /** Identity of the model that produced it (a hash of its weights' headers). */
  String modelId();

  /** The DDIM timesteps, noisiest first. */
  List<Integer> timesteps();

  /** Cross-attention layers with their own conditional embedding: 1 for PTI/NTI, 16 for TODInv on SD v1. */
  int layers();

  /** The inversion latent {@code z*_level}, {@code level} in [0, steps]: 0 is the image's latent, steps is z*_T. */
  TensorData latent(int level);

  /** The inverted latent {@code z*_T} an edit starts from, shape {@code [1, C, h, w]}. */
  default TensorData startLatent() {
    return latent(timesteps().size());
  }

  /** The conditional embedding for step {@code step} and layer {@code layer}, shape {@code [1, 77, hidden]}. */
  TensorData embedding(int step, int layer);

  /** The unconditional embedding for step {@code step}, shape {@code [1, 77, hidden]}. */
  TensorData unconditionalEmbedding(int step);

  /** Frees native memory, if any; later accessor calls fail. */
  @Override
  void close();
}
