package io.ptinv.torch.io;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recommended settings a model folder may carry in {@code ptinv.json}, used by the CLI for every option the
 * user does not give. Any field may be absent. Example:
 *
 * <pre>{"steps": 50, "guidance_scale": 7.5, "eta": 0.8, "inner_steps": 1, "learning_rate": 0.1,
 *  "blend_threshold": 0.5, "initial_noise": "centered"}</pre>
 *
 * {@code blend_threshold} is the local-blending mask threshold: how far above its floor a word's attention
 * must stand to be inside the edited region, which depends on how sharp the model's maps are. {@code
 * initial_noise} ({@code gaussian} or {@code centered}) is how text-to-image draws its starting latent
 * (see {@code InitialNoise}). {@code todinv_learning_rate} is TODInv's AdamW learning rate (the paper's 1e-3 when
 * absent).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelDefaults(
    @JsonProperty("steps") Integer steps,
    @JsonProperty("guidance_scale") Double guidanceScale,
    @JsonProperty("eta") Double eta,
    @JsonProperty("inner_steps") Integer innerSteps,
    @JsonProperty("learning_rate") Double learningRate,
    @JsonProperty("blend_threshold") Double blendThreshold,
    @JsonProperty("initial_noise") String initialNoise,
    @JsonProperty("todinv_learning_rate") Double todinvLearningRate) {

  public static final String FILE = "ptinv.json";
  public static final ModelDefaults NONE = new ModelDefaults(null, null, null, null, null, null, null, null);

  /** The defaults of a model folder, or {@link #NONE} for a single file or a folder without ptinv.json. */
  public static ModelDefaults of(Path model) {
    Path file = model.resolve(FILE);
    return Files.isDirectory(model) && Files.isRegularFile(file) ? ModelConfigs.read(file, ModelDefaults.class) : NONE;
  }

  /**
   * Edit options with this file's values where it sets them and the paper's defaults elsewhere (what
   * {@code PtiEditor.recommendedOptions()} returns for a model with a {@value #FILE}).
   */
  public io.ptinv.EditOptions toEditOptions() {
    io.ptinv.EditOptions.Builder b = io.ptinv.EditOptions.builder()
        .steps(pick(null, steps, io.ptinv.InversionOptions.DEFAULT_STEPS))
        .guidanceScale(pick(null, guidanceScale, io.ptinv.InversionOptions.DEFAULT_GUIDANCE_SCALE))
        .innerSteps(pick(null, innerSteps, io.ptinv.InversionOptions.DEFAULT_INNER_STEPS))
        .learningRate(pick(null, learningRate, io.ptinv.InversionOptions.DEFAULT_LEARNING_RATE))
        .eta(pick(null, eta, io.ptinv.EditOptions.DEFAULT_ETA))
        .blendThreshold(pick(null, blendThreshold, io.ptinv.EditOptions.DEFAULT_BLEND_THRESHOLD))
        .todinv(io.ptinv.TodInvOptions.defaults().withLearningRate(
            pick(null, todinvLearningRate, io.ptinv.TodInvOptions.DEFAULT_LEARNING_RATE)));
    return b.build();
  }

  /** {@code given} if the user gave it, else this file's value, else {@code builtIn}. */
  public static <T> T pick(T given, T fromFile, T builtIn) {
    return given != null ? given : fromFile != null ? fromFile : builtIn;
  }
}
