package io.ptinv;

/**
 * The settings of task-oriented inversion ({@link InversionMethod#TODINV}; Xu et al. 2024, Eqs. 6-9): at each
 * inversion step the embeddings of the layer group the task selects are optimised with AdamW for at most
 * {@code maxIterations} steps, stopping once the loss is below {@code stopLoss}.
 *
 * @param task which layer group is optimised; {@code null}: decided from the source and target prompts
 *     ({@link EditTask#classify})
 * @param maxIterations K: AdamW steps per timestep at most (paper: 10)
 * @param learningRate AdamW's learning rate (paper: 1e-3)
 * @param stopLoss a timestep stops once its loss is below this (default 1e-5)
 * @param guided whether the loss's DDIM step uses classifier-free guidance with the editing scale (so that an edit's
 *     source branch under that guidance reconstructs; default) or the conditional prediction alone
 * @param warmStart whether each timestep starts from the previous timestep's result (default) or from the source
 *     prompt's embedding
 * @param sharedEmbedding an ablation of the extended space: one embedding per timestep, shared by every selected
 *     layer (the space of PTI and NTI), instead of one per timestep and layer (default false: the paper's P*)
 * @param layerGroups overrides of the model's default layer grouping, cross-attention layer name (e.g.
 *     {@code down_blocks.0.attentions.0.transformer_blocks.0.attn2}) to group; empty (default) keeps the model's
 *     table (docs/todinv.md); a name the model lacks is an {@link InvalidInputException} before any work
 */
public record TodInvOptions(EditTask task, int maxIterations, double learningRate, double stopLoss, boolean guided,
    boolean warmStart, boolean sharedEmbedding, java.util.Map<String, LayerGroup> layerGroups) {

  /** K of the paper. */
  public static final int DEFAULT_MAX_ITERATIONS = 10;
  /** The paper's AdamW learning rate. */
  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  /** The early-stop threshold on a timestep's loss. */
  public static final double DEFAULT_STOP_LOSS = 1e-5;

  /** Validates every setting; throws {@link InvalidInputException} naming the bad one. */
  public TodInvOptions {
    InvalidInputException.check(maxIterations >= 0, "maxIterations", "an integer >= 0", maxIterations);
    InvalidInputException.check(learningRate > 0 && Double.isFinite(learningRate), "todinv learningRate",
        "a finite value > 0", learningRate);
    InvalidInputException.check(stopLoss >= 0 && Double.isFinite(stopLoss), "stopLoss", "a finite value >= 0", stopLoss);
    if (layerGroups == null) {
      layerGroups = java.util.Map.of(); // files written before the field lack it
    } else {
      layerGroups.forEach((name, group) -> {
        InvalidInputException.check(name != null && !name.isBlank(), "layerGroups", "layer names", name);
        InvalidInputException.requireNonNull(group, "layerGroups[" + name + "]");
      });
      layerGroups = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(layerGroups));
    }
  }

  /** The earlier form, without layer-group overrides. */
  public TodInvOptions(EditTask task, int maxIterations, double learningRate, double stopLoss, boolean guided,
      boolean warmStart, boolean sharedEmbedding) {
    this(task, maxIterations, learningRate, stopLoss, guided, warmStart, sharedEmbedding, java.util.Map.of());
  }

  /** The defaults: task from the prompts, K = 10, lr 1e-3, stop below 1e-5, guided, warm start. */
  public static TodInvOptions defaults() {
    return new TodInvOptions(null, DEFAULT_MAX_ITERATIONS, DEFAULT_LEARNING_RATE, DEFAULT_STOP_LOSS, true, true, false);
  }

  /**
   * @param newTask the task, or null to decide it from the prompts
   * @return these settings with another task
   */
  public TodInvOptions withTask(EditTask newTask) {
    return new TodInvOptions(newTask, maxIterations, learningRate, stopLoss, guided, warmStart, sharedEmbedding,
        layerGroups);
  }

  /**
   * @param shared whether the selected layers share one embedding per timestep (an ablation; see the record)
   * @return these settings with that choice
   */
  public TodInvOptions withSharedEmbedding(boolean shared) {
    return new TodInvOptions(task, maxIterations, learningRate, stopLoss, guided, warmStart, shared, layerGroups);
  }

  /**
   * @param lr AdamW's learning rate
   * @return these settings with that learning rate
   */
  public TodInvOptions withLearningRate(double lr) {
    return new TodInvOptions(task, maxIterations, lr, stopLoss, guided, warmStart, sharedEmbedding, layerGroups);
  }

  /**
   * @param guidedLoss whether the loss uses classifier-free guidance at the editing scale
   * @return these settings with that choice
   */
  public TodInvOptions withGuided(boolean guidedLoss) {
    return new TodInvOptions(task, maxIterations, learningRate, stopLoss, guidedLoss, warmStart, sharedEmbedding,
        layerGroups);
  }

  /**
   * @param overrides layer name to group, replacing the model's default grouping for those layers
   * @return these settings with those overrides (in place of any earlier ones)
   */
  public TodInvOptions withLayerGroups(java.util.Map<String, LayerGroup> overrides) {
    return new TodInvOptions(task, maxIterations, learningRate, stopLoss, guided, warmStart, sharedEmbedding,
        InvalidInputException.requireNonNull(overrides, "layerGroups"));
  }
}
