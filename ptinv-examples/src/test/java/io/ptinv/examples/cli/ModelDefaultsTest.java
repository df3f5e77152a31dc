package io.ptinv.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ptinv.EditOptions;
import io.ptinv.InvalidInputException;
import io.ptinv.InversionOptions;
import io.ptinv.torch.io.ModelDefaults;
import io.ptinv.torch.sampling.InitialNoise;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Every edit option comes from the command line, else the model's ptinv.json, else the paper's default. */
class ModelDefaultsTest {
  @TempDir Path dir;

  @Command(name = "options")
  static final class Options {
    @Mixin InversionArgs inversion = new InversionArgs();
    @Mixin EditArgs edit = new EditArgs();
  }

  private static EditOptions parse(ModelDefaults defaults, String... args) {
    Options o = new Options();
    new CommandLine(o).parseArgs(args);
    return o.edit.toBuilder(o.inversion, null, defaults).build();
  }

  private ModelDefaults folderWith(String json) throws Exception {
    Files.writeString(dir.resolve(ModelDefaults.FILE), json);
    return ModelDefaults.of(dir);
  }

  @Test
  void ptinvJsonFillsWhatTheUserDidNotGive() throws Exception {
    ModelDefaults d = folderWith("{\"steps\": 20, \"guidance_scale\": 5.0, \"eta\": 0.6, \"inner_steps\": 3, "
        + "\"learning_rate\": 0.05, \"blend_threshold\": 0.55, \"comment\": \"unknown fields are ignored\"}");
    EditOptions fromFile = parse(d);
    assertThat(fromFile.eta()).isEqualTo(0.6);
    assertThat(fromFile.blendThreshold()).isEqualTo(0.55);
    assertThat(fromFile.inversion().steps()).isEqualTo(20);
    assertThat(fromFile.inversion().guidanceScale()).isEqualTo(5.0);
    assertThat(fromFile.inversion().innerSteps()).isEqualTo(3);
    assertThat(fromFile.inversion().learningRate()).isEqualTo(0.05);

    EditOptions given = parse(d, "--blend-threshold", "0.4", "--steps", "30", "--inner-steps", "1");
    assertThat(given.blendThreshold()).isEqualTo(0.4);
    assertThat(given.inversion().steps()).isEqualTo(30);
    assertThat(given.inversion().innerSteps()).isEqualTo(1);
    assertThat(given.inversion().guidanceScale()).isEqualTo(5.0);
  }

  @Test
  void todinvLearningRateFromTheFlagElsePtinvJsonElseThePapers() throws Exception {
    ModelDefaults d = folderWith("{\"todinv_learning_rate\": 0.02}");
    assertThat(parse(d, "--method", "todinv", "--source-prompt", "a cat").inversion().todinv().learningRate()).isEqualTo(0.02);
    assertThat(parse(d, "--method", "todinv", "--source-prompt", "a cat", "--todinv-lr", "0.005").inversion().todinv().learningRate())
        .isEqualTo(0.005);
    assertThat(d.toEditOptions().inversion().todinv().learningRate()).as("the library's recommended options").isEqualTo(0.02);
    assertThat(parse(ModelDefaults.NONE, "--method", "todinv", "--source-prompt", "a cat").inversion().todinv().learningRate())
        .isEqualTo(io.ptinv.TodInvOptions.DEFAULT_LEARNING_RATE);
  }

  @Test
  void withoutPtinvJsonThePapersDefaults() {
    ModelDefaults none = ModelDefaults.of(dir);
    assertThat(none).isEqualTo(ModelDefaults.NONE);
    EditOptions o = parse(none);
    assertThat(o.eta()).isEqualTo(EditOptions.DEFAULT_ETA);
    assertThat(o.blendThreshold()).isEqualTo(EditOptions.DEFAULT_BLEND_THRESHOLD);
    assertThat(o.inversion().steps()).isEqualTo(InversionOptions.DEFAULT_STEPS);
    assertThat(o.inversion().guidanceScale()).isEqualTo(InversionOptions.DEFAULT_GUIDANCE_SCALE);
  }

  @Test
  void initialNoiseFromTheFlagElsePtinvJsonElseGaussian() throws Exception {
    ModelOptions model = new ModelOptions();
    model.model = dir;
    assertThat(model.initialNoise(null, model.defaults())).isEqualTo(InitialNoise.GAUSSIAN);
    folderWith("{\"initial_noise\": \"centered\"}");
    assertThat(model.initialNoise(null, model.defaults())).isEqualTo(InitialNoise.CENTERED);
    assertThat(model.initialNoise("gaussian", model.defaults())).isEqualTo(InitialNoise.GAUSSIAN);
    assertThatThrownBy(() -> model.initialNoise("pink", model.defaults())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("--initial-noise").hasMessageContaining("pink");
    folderWith("{\"initial_noise\": \"uniform\"}");
    assertThatThrownBy(() -> model.initialNoise(null, model.defaults())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ptinv.json").hasMessageContaining("uniform").hasMessageContaining("centered");
  }

  @Test
  void anOutOfRangeValueInPtinvJsonIsRejectedByName() throws Exception {
    ModelDefaults d = folderWith("{\"blend_threshold\": 1.5}");
    assertThatThrownBy(() -> parse(d)).isInstanceOf(InvalidInputException.class).hasMessageContaining("blendThreshold")
        .hasMessageContaining("1.5");
  }
}
