package io.ptinv;

/** How an image is turned into an {@link EmbeddingTrajectory}. */
public enum InversionMethod {
  /** Prompt Tuning Inversion (Dong et al., ICCV 2023): tunes the conditional embedding per timestep. */
  PTI,
  /** Null-Text Inversion (Mokady et al., CVPR 2023): tunes the unconditional embedding per timestep. */
  NTI,
  /** Plain DDIM inversion with the target prompt: no tuning, the weakest baseline. */
  DDIM
}
