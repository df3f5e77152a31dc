package io.ptinv;

/**
 * TODInv's two groups of cross-attention layers (Xu et al. 2024, Sec. 3.3): an appearance edit optimises the
 * {@link #STRUCTURE} group's embeddings, a structure edit the {@link #APPEARANCE} group's, a global edit both.
 */
public enum LayerGroup {
  /** High-resolution layers: they carry appearance (colour, texture). */
  APPEARANCE,
  /** Low-resolution layers: they carry structure (layout, shape). */
  STRUCTURE
}
