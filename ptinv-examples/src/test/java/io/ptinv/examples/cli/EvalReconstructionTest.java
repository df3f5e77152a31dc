package io.ptinv.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.image.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ptinv eval reconstruction} with the shipped model: a table per method, bad images skipped, restarts resume. */
class EvalReconstructionTest {
  private static String[] run(String... args) {
    return CliTesting.runCapturing(args);
  }

  @Test
  void measuresEachMethodAndResumes(@TempDir Path dir) throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    var sample = new io.ptinv.examples.shapes.ShapesDataset(5).sample(0);
    Images.write(sample.image(), images.resolve("a.png"));
    Files.writeString(images.resolve("broken.png"), "not an image");
    Path captions = Files.writeString(dir.resolve("captions.tsv"), "a.png\t" + sample.caption() + "\n");
    Path out = dir.resolve("out");
    String[] args = {"eval", "reconstruction", "--images", images.toString(), "--captions", captions.toString(),
        "--methods", "vae,ddim", "--steps", "3", "-o", out.toString()};
    String[] r = run(args);
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("| VAE only | 1 |").contains("| DDIM | 1 |").contains("not computed").contains("broken.png");
    double vae = Double.parseDouble(r[1].lines().filter(l -> l.startsWith("| VAE only")).findFirst().orElseThrow()
        .split("\\|")[3].trim());
    assertThat(vae).as("the shipped model's VAE bound is about 31 dB (MODEL_CARD.md)").isBetween(25.0, 40.0);
    Path item = out.resolve("items/a.png.ddim.json");
    assertThat(item).isRegularFile();
    Files.setLastModifiedTime(item, FileTime.fromMillis(0));
    String[] again = run(args);
    assertThat(again[0]).isEqualTo("0");
    assertThat(Files.getLastModifiedTime(item).toMillis()).as("a restarted run reuses the item").isZero();
    assertThat(again[1].lines().filter(l -> l.startsWith("| DDIM"))).containsExactlyElementsOf(
        r[1].lines().filter(l -> l.startsWith("| DDIM")).toList());
    assertThat(run("eval", "reconstruction", "--images", images.toString(), "--methods", "vae,frob", "-o",
        out.toString())[2]).contains("--methods").contains("frob");
  }
}
