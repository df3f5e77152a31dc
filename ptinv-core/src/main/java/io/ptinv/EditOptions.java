package io.ptinv;

import com.google.common.base.Preconditions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to edit: the inversion that precedes it, the interpolation weight {@code eta} of the paper's Eq. 9
 * ({@code c = (1 - eta) c_t + eta c*}: 0 reconstructs the input, 1 is plain DDIM-Edit; default 0.9), what
 * is interpolated (the condition, as the paper does, or the latents, the weaker alternative it discusses),
 * optional local blending and attention re-weighting (Prompt-to-Prompt style, off by default, blending on in
 * {@link Builder#paper}), the random seed for anything stochastic, the prompt describing the input (NTI, DDIM and
 * TODInv invert with it; empty: the target prompt) and optional Prompt-to-Prompt attention control ({@code p2p},
 * null for none).
 */
public record EditOptions(
    InversionOptions inversion,
    double eta,
    Interpolation interpolation,
    long seed,
    List<String> localBlendWords,
    double blendThreshold,
    Map<String, Double> reweight,
    String sourcePrompt,
    P2pOptions p2p) {

  /** What {@code eta} interpolates. */
  public enum Interpolation {
    /** {@code c = (1 - eta) c_t + eta c*} at every step (the paper's Eq. 9; default). */
    CONDITION,
    /** Sample with c* and pull each latent back: {@code z_t <- (1 - eta) z*_t + eta z_t} (weaker). */
    LATENT
  }

  /** The paper's interpolation weight eta (Eq. 9). */
  public static final double DEFAULT_ETA = 0.9;
  /** Local blending's mask threshold, relative to the map's range. */
  public static final double DEFAULT_BLEND_THRESHOLD = 0.3;

  /** Validates every option; throws {@link InvalidInputException} naming the bad one. */
  public EditOptions {
    Preconditions.checkNotNull(inversion, "inversion");
    Preconditions.checkNotNull(interpolation, "interpolation");
    checkEta(eta);
    localBlendWords = List.copyOf(localBlendWords);
    reweight = Map.copyOf(reweight);
    sourcePrompt = sourcePrompt == null ? "" : sourcePrompt;
    InvalidInputException.check(blendThreshold > 0 && blendThreshold < 1, "blendThreshold", "a value in (0, 1)", blendThreshold);
    for (Map.Entry<String, Double> e : reweight.entrySet()) {
      InvalidInputException.check(e.getValue() >= 0 && Double.isFinite(e.getValue()), "reweight",
          "a finite factor >= 0 for '" + e.getKey() + "'", e.getValue());
    }
  }

  /** Throws {@link InvalidInputException} unless {@code eta} is in [0, 1]. */
  public static void checkEta(double eta) {
    InvalidInputException.check(eta >= 0 && eta <= 1, "eta", "a value in [0, 1]", eta);
  }

  /**
   * @return the paper's settings: 50 steps, w = 7.5, N = 1, beta = 0.1 with Adam, eta = 0.9, no blending
   */
  public static EditOptions defaults() {
    return builder().build();
  }

  /**
   * @return a builder starting from the paper's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The same options with another eta. */
  public EditOptions withEta(double newEta) {
    return new EditOptions(inversion, newEta, interpolation, seed, localBlendWords, blendThreshold, reweight,
        sourcePrompt, p2p);
  }

  /** Builder; the inversion settings can be set here directly or as a whole with {@link #inversion}. */
  public static final class Builder {
    private InversionOptions.Builder inversion = InversionOptions.builder();
    private Double eta;
    private long seed = 0;
    private Interpolation interpolation = Interpolation.CONDITION;
    private List<String> localBlendWords = List.of();
    private double blendThreshold = DEFAULT_BLEND_THRESHOLD;
    private Map<String, Double> reweight = new LinkedHashMap<>();
    private String sourcePrompt = "";
    private P2pOptions p2p;

    private Builder() {}

    /**
     * Replaces all inversion settings at once.
     * @param options not null
     * @return this builder
     */
    public Builder inversion(InversionOptions options) {
      this.inversion = InvalidInputException.requireNonNull(options, "inversion").toBuilder();
      return this;
    }

    /**
     * Sets the DDIM steps T.
     * @param steps T in [1, 1000]
     * @return this builder
     */
    public Builder steps(int steps) {
      inversion.steps(steps);
      return this;
    }

    /**
     * Sets the classifier-free guidance scale w used while tuning and editing.
     * @param guidanceScale w &gt;= 0
     * @return this builder
     */
    public Builder guidanceScale(double guidanceScale) {
      inversion.guidanceScale(guidanceScale);
      return this;
    }

    /**
     * Sets N, the optimiser steps per timestep of PTI's tuning.
     * @param innerSteps N &gt;= 1
     * @return this builder
     */
    public Builder innerSteps(int innerSteps) {
      inversion.innerSteps(innerSteps);
      return this;
    }

    /**
     * Sets beta, the tuning optimiser's learning rate.
     * @param learningRate a finite value &gt; 0
     * @return this builder
     */
    public Builder learningRate(double learningRate) {
      inversion.learningRate(learningRate);
      return this;
    }

    /**
     * Sets the inversion method: PTI (default), NTI, plain DDIM or TODInv.
     * @param method not null
     * @return this builder
     */
    public Builder method(InversionMethod method) {
      inversion.method(InvalidInputException.requireNonNull(method, "method"));
      return this;
    }

    /**
     * Sets the interpolation weight eta in [0, 1] (0 reconstructs, 1 is DDIM-Edit); unset, it is 0.9 for PTI and 1 for
     * the other methods.
     * @param eta the weight
     * @return this builder
     */
    public Builder eta(double eta) {
      this.eta = eta;
      return this;
    }

    /**
     * Sets what is interpolated: the condition (the paper) or the latents.
     * @param interpolation not null
     * @return this builder
     */
    public Builder interpolation(Interpolation interpolation) {
      this.interpolation = InvalidInputException.requireNonNull(interpolation, "interpolation");
      return this;
    }

    /**
     * Local blending (Prompt-to-Prompt style): only the region where these words of the target prompt attend
     * is edited; the rest follows the reconstruction. Empty (the default) turns it off.
     */
    public Builder localBlend(List<String> words) {
      InvalidInputException.requireNonNull(words, "localBlend");
      words.forEach(w -> InvalidInputException.requireNonNull(w, "localBlend[]"));
      this.localBlendWords = List.copyOf(words);
      return this;
    }

    /** The mask threshold of local blending, relative to the map's maximum (default 0.3). */
    public Builder blendThreshold(double threshold) {
      this.blendThreshold = threshold;
      return this;
    }

    /** Scales the cross-attention of a target-prompt word by {@code factor} (attention re-weighting). */
    public Builder reweight(String word, double factor) {
      this.reweight.put(InvalidInputException.requireNonNull(word, "reweight word"), factor);
      return this;
    }

    /**
     * The paper's setting: its defaults plus local blending on the given words of the target prompt (the
     * words that name what is edited).
     */
    public Builder paper(String... blendWords) {
      inversion = InversionOptions.builder();
      eta = DEFAULT_ETA;
      interpolation = Interpolation.CONDITION;
      return localBlend(List.of(blendWords));
    }

    /**
     * Sets the prompt describing the input image: NTI, DDIM and TODInv invert with it, and TODInv decides its task
     * from it and the target prompt. Empty (the default): the target prompt is used.
     * @param prompt not null
     * @return this builder
     */
    public Builder sourcePrompt(String prompt) {
      this.sourcePrompt = InvalidInputException.requireNonNull(prompt, "sourcePrompt");
      return this;
    }

    /**
     * Edits with Prompt-to-Prompt attention control (a source and a target branch sampled together).
     * @param options the replacement fractions, or null for none (the default)
     * @return this builder
     */
    public Builder p2p(P2pOptions options) {
      this.p2p = options;
      return this;
    }

    /**
     * Sets TODInv's inversion settings (with {@link #method method(TODINV)}).
     * @param options not null
     * @return this builder
     */
    public Builder todinv(TodInvOptions options) {
      inversion.todinv(options);
      return this;
    }

    /**
     * Sets the seed for anything stochastic.
     * @param seed any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @return the options, validated ({@link InvalidInputException} names a bad one)
     */
    public EditOptions build() {
      InversionOptions inv = inversion.build();
      // PTI's eta of 0.9 unless set; NTI, DDIM and TODInv sample their target condition fully, as their papers do
      double e = eta != null ? eta : inv.method() == InversionMethod.PTI ? DEFAULT_ETA : 1.0;
      return new EditOptions(inv, e, interpolation, seed, localBlendWords, blendThreshold, reweight, sourcePrompt, p2p);
    }
  }
}
