package io.ptinv.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.EditOptions;
import io.ptinv.image.Images;
import io.ptinv.torch.editing.PtiEditor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example program runs end to end on the golden tiny model, given a ptinv.json (4 steps, eta 0.6) that the
 * library, not the CLI, must apply.
 */
class ExamplesTest {
  @TempDir static Path shared;
  static Path model;
  static Path image;

  @BeforeAll
  static void tinyModelWithRecommendations() throws IOException {
    Path golden = Path.of(System.getProperty("ptinv.golden.dir", "../../shared/golden"), "tiny-sd").toAbsolutePath();
    model = shared.resolve("tiny-with-defaults");
    Files.createDirectories(model);
    try (Stream<Path> parts = Files.list(golden)) {
      for (Path p : parts.toList()) {
        Files.createSymbolicLink(model.resolve(p.getFileName()), p);
      }
    }
    Files.writeString(model.resolve("ptinv.json"), "{\"steps\": 4, \"eta\": 0.6}");
    image = shared.resolve("in.png");
    Images.write(Images.resize(new io.ptinv.examples.shapes.ShapesDataset(3).sample(0).image(), 128, 128), image);
  }

  private static void assertSamePixels(BufferedImage a, BufferedImage b) {
    assertThat(a.getWidth()).isEqualTo(b.getWidth());
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        assertThat(a.getRGB(x, y)).as("pixel %d,%d", x, y).isEqualTo(b.getRGB(x, y));
      }
    }
  }

  @Test
  void editOneImageUsesTheModelsRecommendedSettings(@TempDir Path dir) {
    Path out = dir.resolve("out.png");
    EditOneImage.main(new String[] {model.toString(), image.toString(), "a green circle", out.toString()});
    try (PtiEditor editor = PtiEditor.load(model)) {
      EditOptions recommended = editor.recommendedOptions();
      assertThat(recommended.inversion().steps()).isEqualTo(4);
      assertThat(recommended.eta()).isEqualTo(0.6);
      BufferedImage expected = editor.edit(Images.read(image), "a green circle",
          EditOptions.builder().steps(4).eta(0.6).build());
      assertSamePixels(Images.read(out), expected);
    }
  }

  @Test
  void sweepEtaWritesOneImagePerEta(@TempDir Path dir) {
    SweepEta.main(new String[] {model.toString(), image.toString(), "a green circle", dir.toString(), "0,1"});
    assertThat(Images.read(dir.resolve("eta-0.00.png")).getWidth()).isEqualTo(128);
    assertThat(Images.read(dir.resolve("eta-1.00.png")).getWidth()).isEqualTo(128);
  }

  @Test
  void editFromTrajectoryInvertsOnceAndReusesTheFile(@TempDir Path dir) throws IOException {
    Path traj = dir.resolve("t.safetensors");
    String[] args = {model.toString(), image.toString(), traj.toString(), "a green circle", dir.resolve("a.png").toString()};
    EditFromTrajectory.main(args);
    Files.setLastModifiedTime(traj, FileTime.fromMillis(0));
    args[4] = dir.resolve("b.png").toString();
    EditFromTrajectory.main(args);
    assertThat(Files.getLastModifiedTime(traj).toMillis()).as("the trajectory was reused, not rewritten").isZero();
    assertSamePixels(Images.read(dir.resolve("a.png")), Images.read(dir.resolve("b.png")));
  }

  @Test
  void batchEditEditsEachImageAndSkipsBrokenOnes(@TempDir Path dir) throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.copy(image, in.resolve("one.png"));
    Images.write(Images.resize(new io.ptinv.examples.shapes.ShapesDataset(4).sample(1).image(), 128, 128),
        in.resolve("two.png"));
    Files.writeString(in.resolve("broken.png"), "not an image");
    Path out = dir.resolve("out");
    BatchEdit.main(new String[] {model.toString(), in.toString(), "a green circle", out.toString()});
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("one.png", "two.png");
    }
  }
}
