package io.ptinv;

/** The stages of an inversion or edit, in the order they run. */
public enum Stage {
  /** Image to latent through the VAE encoder. */
  ENCODE,
  /** DDIM inversion z*_0 .. z*_T with guidance 0. */
  INVERT,
  /** Per-timestep tuning of the embedding (PTI, NTI). */
  TUNE,
  /** Sampling the edit from z*_T. */
  EDIT,
  /** Latent to image through the VAE decoder. */
  DECODE,
  /** Text-to-image sampling. */
  GENERATE,
  /** Anything else that reports steps: training, benchmarks. */
  OTHER
}
