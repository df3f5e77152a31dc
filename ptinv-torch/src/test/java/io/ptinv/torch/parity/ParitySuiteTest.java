package io.ptinv.torch.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ptinv.ModelLoadException;
import io.ptinv.torch.io.SafeTensorsFile;
import io.ptinv.torch.io.SafeTensorsWriter;
import io.ptinv.torch.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every golden row, PTI's (Adam and SGD) included, passes from the diffusers folder and from the single-file
 * checkpoint, with the tolerances of the folder's tolerances.json; rows the folder lacks are SKIP, rows ptinv
 * lacks are UNKNOWN.
 */
class ParitySuiteTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyRowPassesFromFolderAndSingleFile() {
    List<ParityRow> rows = new ParitySuite(Golden.dir()).run();
    rows.forEach(System.out::println);
    ParityTolerances tolerances = ParityTolerances.read(Golden.dir().resolve("tolerances.json"));
    // the rows this golden set documents, each of them checked (not skipped, not unknown) and passing
    assertThat(tolerances.rows().keySet()).contains("text.ids", "vae.decoded", "unet.perlayer.eps.t501", "grad.d_cond",
        "pti.embeddings", "pti.edit.eta0.9", "pti.edit.target_cond", "pti_sgd.embeddings", "pti_sgd.reconstruction",
        "pti_sgd.edit.eta0.9");
    for (String prefix : new String[] {"folder/", "single-file/"}) {
      for (String key : tolerances.rows().keySet()) {
        assertThat(rows).as("row %s%s", prefix, key).anySatisfy(r -> {
          assertThat(r.name()).isEqualTo(prefix + key);
          assertThat(r.status()).isEqualTo(ParityRow.Status.PASS);
          assertThat(r.note()).startsWith(tolerances.of(key).orElseThrow().toString());
        });
      }
      // PTI rows are compared one timestep at a time: 10 rows each, t = 901 first
      for (String key : new String[] {"pti.embeddings", "pti_sgd.embeddings"}) {
        for (int i = 0; i < 10; i++) {
          String name = prefix + key + "[" + i + "]";
          assertThat(rows).as(name).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo(name);
            assertThat(r.status()).isEqualTo(ParityRow.Status.PASS);
          });
        }
        assertThat(rows).anySatisfy(r -> assertThat(r.name() + " " + r.note()).isEqualTo(
            prefix + key + "[0] " + tolerances.of(key).orElseThrow() + "; t=901"));
      }
    }
    assertThat(rows).allMatch(r -> r.status() == ParityRow.Status.PASS);
  }

  /**
   * A golden folder whose tolerance file tightens one row, omits another and lists one ptinv does not know, whose
   * reference lacks an output row and the SGD learning rate, and whose README names no target prompt.
   */
  @Test
  void tolerancesComeFromTheFolderAndMissingRowsAreSkippedNotPassed(@TempDir Path dir) throws IOException {
    Path golden = Golden.dir();
    for (String name : new String[] {"tiny-sd", "tiny-sd.single-file.safetensors", "tokenizer-cases.json"}) {
      Files.createSymbolicLink(dir.resolve(name), golden.resolve(name));
    }
    Files.writeString(dir.resolve("README.md"), "A golden set whose README names no prompts.\n");
    ObjectNode tolerances = (ObjectNode) JSON.readTree(golden.resolve("tolerances.json").toFile());
    ObjectNode rows = (ObjectNode) tolerances.get("rows");
    rows.putObject("vae.decoded").put("kind", "abs").put("value", 0.0); // no fp32 implementation is bit-exact here
    rows.remove("ddim.alphas_cumprod");
    rows.putObject("future.row").put("kind", "rel").put("value", 1e-3);
    JSON.writeValue(dir.resolve("tolerances.json").toFile(), tolerances);
    try (PointerScope scope = new PointerScope();
        SafeTensorsFile reference = SafeTensorsFile.open(golden.resolve("tiny-sd.reference.safetensors"))) {
      Map<String, Tensor> kept = new LinkedHashMap<>();
      for (String key : reference.entries().keySet()) {
        if (!key.equals("unet.eps.t1") && !key.equals("pti_sgd.lr")) {
          kept.put(key, reference.read(key));
        }
      }
      SafeTensorsWriter.write(dir.resolve("tiny-sd.reference.safetensors"), kept, Map.of());
    }

    List<ParityRow> result = new ParitySuite(dir).run();

    assertThat(status(result, "folder/vae.decoded")).isEqualTo(ParityRow.Status.FAIL);
    assertThat(row(result, "folder/vae.decoded").orElseThrow().note()).isEqualTo("abs 0.0");
    assertThat(status(result, "folder/ddim.alphas_cumprod")).isEqualTo(ParityRow.Status.SKIP);
    assertThat(status(result, "folder/unet.eps.t1")).isEqualTo(ParityRow.Status.SKIP);
    assertThat(status(result, "folder/unet.eps.t261")).isEqualTo(ParityRow.Status.PASS);
    assertThat(status(result, "folder/pti.edit.target_cond")).isEqualTo(ParityRow.Status.SKIP);
    for (String key : new String[] {"pti_sgd.embeddings", "pti_sgd.reconstruction", "pti_sgd.edit.eta0.9"}) {
      ParityRow r = row(result, "single-file/" + key).orElseThrow();
      assertThat(r.status()).isEqualTo(ParityRow.Status.SKIP);
      assertThat(r.note()).contains("pti_sgd.lr");
    }
    assertThat(status(result, "folder/pti.embeddings")).isEqualTo(ParityRow.Status.PASS);
    assertThat(status(result, "future.row")).isEqualTo(ParityRow.Status.UNKNOWN);
    assertThat(result).filteredOn(r -> r.status() == ParityRow.Status.UNKNOWN).hasSize(1);
  }

  @Test
  void badToleranceFileIsNamed(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tolerances.json");
    Files.writeString(file, "{\"rows\": {\"vae.decoded\": {\"kind\": \"ulp\", \"value\": 2}}}");
    assertThatThrownBy(() -> ParityTolerances.read(file)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("vae.decoded").hasMessageContaining("abs, rel or exact");
    Files.writeString(file, "{\"rows\": {\"vae.decoded\": {\"kind\": \"rel\"}}}");
    assertThatThrownBy(() -> ParityTolerances.read(file)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("vae.decoded").hasMessageContaining("value");
    assertThatThrownBy(() -> ParityTolerances.read(dir.resolve("absent.json"))).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("absent.json");
  }

  private static Optional<ParityRow> row(List<ParityRow> rows, String name) {
    return rows.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  private static ParityRow.Status status(List<ParityRow> rows, String name) {
    return row(rows, name).orElseThrow(() -> new AssertionError("no row " + name + " in " + rows)).status();
  }
}
