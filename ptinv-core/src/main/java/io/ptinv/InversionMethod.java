package io.ptinv;

/** How an image is turned into an {@link EmbeddingTrajectory}. */
public enum InversionMethod {
  /** Prompt Tuning Inversion (Dong et al., ICCV 2023): tunes the conditional embedding per timestep. */
  PTI,
  /** Null-Text Inversion (Mokady et al., CVPR 2023): tunes the unconditional embedding per timestep. */
  NTI,
  /** Plain DDIM inversion with the target prompt: no tuning, the weakest baseline. */
  DDIM,
  /**
   * Task-oriented inversion (TODInv, Xu et al. 2024): one conditional embedding per timestep and cross-attention
   * layer, only the layers the edit's {@link EditTask} does not need optimised ({@link TodInvOptions}).
   */
  TODINV
}
