package io.ptinv.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ptinv.files.OutputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finished items of a run, one small JSON file each ({@code DIR/<id>.json}, written atomically), so that a restarted run
 * skips them. An item is reused only when it was scored with the same metrics and the same networks available.
 */
final class ItemStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;
  private final String signature;

  /**
   * @param dir the folder of item files
   * @param signature what the scores depend on (metric list, which networks were loaded)
   */
  ItemStore(Path dir, String signature) {
    this.dir = dir;
    this.signature = signature;
  }

  Optional<Map<PieBenchMetric, Score>> load(String key, List<PieBenchMetric> metrics) {
    Path f = dir.resolve(key + ".json");
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(f.toFile());
      if (!signature.equals(n.path("signature").asText())) {
        return Optional.empty();
      }
      Map<PieBenchMetric, Score> out = new EnumMap<>(PieBenchMetric.class);
      for (PieBenchMetric m : metrics) {
        JsonNode s = n.path("scores").path(m.column());
        if (s.isMissingNode()) {
          return Optional.empty();
        }
        out.put(m, s.path("computed").asBoolean()
            ? Score.of(Double.parseDouble(s.path("value").asText()))
            : Score.skipped(s.path("why").asText()));
      }
      return Optional.of(out);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a damaged item file is scored again
    }
  }

  void save(String key, Map<PieBenchMetric, Score> scores) {
    ObjectNode n = JSON.createObjectNode();
    n.put("signature", signature);
    ObjectNode s = n.putObject("scores");
    for (Map.Entry<PieBenchMetric, Score> e : scores.entrySet()) {
      ObjectNode v = s.putObject(e.getKey().column());
      v.put("computed", e.getValue().computed());
      v.put("value", Double.toString(e.getValue().value()));
      v.put("why", e.getValue().why());
    }
    try {
      OutputFiles.writeString(dir.resolve(key + ".json"), JSON.writeValueAsString(n));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String signature(List<PieBenchMetric> metrics, PieBenchEvaluator evaluator) {
    ArrayNode a = JSON.createArrayNode();
    for (PieBenchMetric m : metrics) {
      a.add(m.column() + (evaluator.available(m.kind()) ? "" : ":absent"));
    }
    return a.toString();
  }
}
