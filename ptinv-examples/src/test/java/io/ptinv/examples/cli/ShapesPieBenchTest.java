package io.ptinv.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.eval.PieBench;
import io.ptinv.eval.PieBenchEntry;
import io.ptinv.eval.PieBenchMask;
import io.ptinv.examples.shapes.ShapeAnalyzer;
import io.ptinv.image.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shapes world as a PIE-Bench dataset, edited and scored by the PIE-Bench runner with the shipped model. */
class ShapesPieBenchTest {
  private static String[] run(String... args) {
    return CliTesting.runCapturing(args);
  }

  @Test
  void datasetMasksPromptsAndARunnerPass(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    assertThat(run("shapes", "pie-bench", "--cases", "1", "-o", data.toString())[0]).isEqualTo("0");
    PieBench.Mapping m = PieBench.readMapping(data.resolve("mapping_file.json"));
    assertThat(m.invalid()).isEmpty();
    List<PieBenchEntry> entries = m.entries();
    assertThat(entries).extracting(PieBenchEntry::editingTypeId).containsExactly("6", "1", "8");
    for (PieBenchEntry e : entries) {
      assertThat(e.editingPrompt()).containsPattern("\\[[a-z]+\\]");
      assertThat(e.cleanEditingPrompt()).doesNotContain("[");
      var image = Images.read(data.resolve("annotation_images").resolve(e.imagePath()));
      boolean[] object = ShapeAnalyzer.analyze(image).mask();
      boolean[] decoded = PieBenchMask.decode(e.rle(), image.getHeight(), image.getWidth());
      int w = image.getWidth();
      for (int i = 0; i < object.length; i++) {
        boolean border = i < w || i >= object.length - w || i % w == 0 || i % w == w - 1;
        boolean expected = e.editingTypeId().equals("8") ? !object[i] : object[i];
        assertThat(decoded[i]).as("%s pixel %d", e.key(), i).isEqualTo(expected || border);
      }
    }
    Path out = dir.resolve("out");
    String[] r = run("eval", "pie-bench", "--data", data.toString(), "--method", "ddim", "--steps", "4", "--types",
        "6,8", "-o", out.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("edited and scored 2 entries").contains("6 change color").contains("8 change background")
        .contains("n/c");
    List<String> csv = Files.readAllLines(out.resolve("evaluation_result.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(0)).startsWith("file_id,1_ptinv-ddim|psnr,1_ptinv-ddim|mse");
    long edited = Files.getLastModifiedTime(out.resolve("edited").resolve(entries.get(0).imagePath())).toMillis();
    Files.setLastModifiedTime(out.resolve("edited").resolve(entries.get(0).imagePath()),
        java.nio.file.attribute.FileTime.fromMillis(edited - 60_000));
    assertThat(run("eval", "pie-bench", "--data", data.toString(), "--method", "ddim", "--steps", "4", "--types", "6,8",
        "-o", out.toString())[0]).isEqualTo("0");
    assertThat(Files.getLastModifiedTime(out.resolve("edited").resolve(entries.get(0).imagePath())).toMillis())
        .as("a restarted run keeps finished edits").isEqualTo(edited - 60_000);
    assertThat(Files.readAllLines(out.resolve("evaluation_result.csv"))).isEqualTo(csv);
    // a sweep over eta from one inversion per entry: a scored folder per eta, the trade-off table and plot, stage times
    Path sweep = dir.resolve("sweep");
    String[] sw = run("eval", "pie-bench", "--data", data.toString(), "--method", "pti", "--steps", "4", "--types", "6",
        "--etas", "0.3,1", "-o", sweep.toString());
    assertThat(sw[0]).as(sw[2]).isEqualTo("0");
    Path low = sweep.resolve("eta-0.30");
    Path high = sweep.resolve("eta-1.00");
    String image = entries.get(0).imagePath();
    assertThat(Files.readAllLines(low.resolve("evaluation_result.csv"))).hasSize(2);
    assertThat(Files.readAllLines(high.resolve("evaluation_result.csv"))).hasSize(2);
    assertThat(Files.readAllBytes(low.resolve("edited").resolve(image)))
        .as("eta 0.3 and 1 give different edits").isNotEqualTo(Files.readAllBytes(high.resolve("edited").resolve(image)));
    List<String> tradeoff = Files.readAllLines(sweep.resolve("tradeoff.csv"));
    assertThat(tradeoff).hasSize(3);
    assertThat(tradeoff.get(1)).startsWith("0.300,1,");
    assertThat(tradeoff.get(2)).startsWith("1.000,1,");
    assertThat(Images.read(sweep.resolve("tradeoff.png")).getWidth()).isEqualTo(800);
    assertThat(Images.read(sweep.resolve("stages.png")).getWidth()).isEqualTo(800);
    var stages = new com.fasterxml.jackson.databind.ObjectMapper().readTree(sweep.resolve("stage_seconds.json").toFile())
        .get(entries.get(0).key());
    List<String> stageNames = new java.util.ArrayList<>();
    stages.fieldNames().forEachRemaining(stageNames::add);
    assertThat(stageNames).containsExactly("ENCODE", "INVERT", "TUNE", "EDIT", "DECODE");
    assertThat(run("eval", "pie-bench", "--data", data.toString(), "--engine", "bogus", "-o", out.toString())[2])
        .contains("--engine");
    // TODInv + Prompt-to-Prompt through the same runner: task from the prompts, P2P with PIE-Bench's setting
    Path p2p = dir.resolve("p2p");
    String[] todinvRun = run("eval", "pie-bench", "--data", data.toString(), "--method", "todinv", "--engine", "p2p",
        "--steps", "3", "--max-iters", "2", "--types", "6", "-o", p2p.toString());
    assertThat(todinvRun[0]).as(todinvRun[2]).isEqualTo("0");
    assertThat(Files.readAllLines(p2p.resolve("evaluation_result.csv")).get(0)).startsWith("file_id,1_ptinv-todinv+p2p|psnr");
    // bad TODInv input: one line, exit 2, before any work
    Path img = data.resolve("annotation_images").resolve(entries.get(0).imagePath());
    String[] noSource = run("edit", "--image", img.toString(), "--method", "todinv", "--prompt", "a red circle",
        "-o", dir.resolve("x.png").toString());
    assertThat(noSource[0]).isEqualTo("2");
    assertThat(noSource[2].strip()).contains("--source-prompt").doesNotContain("\n");
    String[] badTask = run("edit", "--image", img.toString(), "--method", "todinv", "--task", "colour",
        "--source-prompt", "a", "--prompt", "b", "-o", dir.resolve("x.png").toString());
    assertThat(badTask[0]).isEqualTo("2");
    assertThat(badTask[2]).contains("--task");
    String[] badLayer = run("edit", "--image", img.toString(), "--method", "todinv", "--source-prompt", "a black circle",
        "--prompt", "a red circle", "--layer-group", "up_blocks.7.nothing=appearance", "-o", dir.resolve("x.png").toString());
    assertThat(badLayer[0]).isEqualTo("2");
    assertThat(badLayer[2].strip()).contains("up_blocks.7.nothing").contains("attn2").doesNotContain("\n");
    String[] badSpec = run("edit", "--image", img.toString(), "--method", "todinv", "--source-prompt", "a black circle",
        "--prompt", "a red circle", "--layer-group", "appearance", "-o", dir.resolve("x.png").toString());
    assertThat(badSpec[0]).isEqualTo("2");
    assertThat(badSpec[2]).contains("--layer-group").contains("LAYER=");
    String[] missingWord = run("edit", "--image", img.toString(), "--method", "nti", "--p2p", "--source-prompt",
        "a black circle", "--prompt", "a red circle", "--local-blend", "zebra", "-o", dir.resolve("x.png").toString());
    assertThat(missingWord[0]).isEqualTo("2");
    assertThat(missingWord[2]).contains("zebra");
    assertThat(Files.exists(dir.resolve("x.png"))).isFalse();
  }
}
