package io.ptinv.torch.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.ModelLoadException;
import io.ptinv.Schedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the JSON config files of a diffusers model folder, with errors naming the file. */
public final class ModelConfigs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelConfigs() {}

  public static <T> T read(Path file, Class<T> type) {
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(file + ": missing (expected a diffusers model folder)");
    }
    try {
      return JSON.readValue(file.toFile(), type);
    } catch (ModelLoadException e) {
      throw new ModelLoadException(file + ": " + e.getMessage(), e);
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw new ModelLoadException(file + ": not a valid config: " + e.getMessage(), e);
    }
  }

  /**
   * A config bundled with ptinv (a class-path resource, e.g. the SD v1 architecture of {@code bench speed}).
   *
   * @param resource the absolute resource name
   * @param type the config record
   * @return the config
   */
  public static <T> T readResource(String resource, Class<T> type) {
    try (java.io.InputStream in = ModelConfigs.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ModelLoadException(resource + ": no such bundled config");
      }
      return JSON.readValue(in, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new ModelLoadException(resource + ": not a valid config: " + e.getMessage(), e);
    }
  }

  /** {@code scheduler/scheduler_config.json} as a {@link Schedule}; only epsilon prediction is supported. */
  public static Schedule schedule(Path file) {
    JsonNode n = read(file, JsonNode.class);
    String prediction = n.path("prediction_type").asText("epsilon");
    if (!prediction.equals("epsilon")) {
      throw new ModelLoadException(file + ": prediction_type " + prediction + " is not supported (epsilon only)");
    }
    String kind = n.path("beta_schedule").asText("scaled_linear");
    Schedule.BetaSchedule betas = switch (kind) {
      case "scaled_linear" -> Schedule.BetaSchedule.SCALED_LINEAR;
      case "linear" -> Schedule.BetaSchedule.LINEAR;
      default -> throw new ModelLoadException(file + ": beta_schedule " + kind + " is not supported");
    };
    return Schedule.of(
        n.path("num_train_timesteps").asInt(1000),
        n.path("beta_start").asDouble(0.00085),
        n.path("beta_end").asDouble(0.012),
        betas,
        n.path("steps_offset").asInt(1),
        n.path("set_alpha_to_one").asBoolean(false));
  }

}
