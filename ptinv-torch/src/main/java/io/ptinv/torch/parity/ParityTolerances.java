package io.ptinv.torch.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tolerance of every checked row of a golden folder, read from its {@code tolerances.json}
 * ({@code {"rows": {key: {"kind": "abs"|"rel"|"exact", "value": x}}}}, the README's table in machine-readable
 * form). ptinv keeps no tolerance numbers of its own: a golden set decides how close is close enough.
 */
public final class ParityTolerances {

  /** How a row is compared. */
  public enum Kind {
    /** max |ours - ref| &lt;= value */
    ABS,
    /** ||ours - ref||_2 / ||ref||_2 &lt;= value */
    REL,
    /** same shape, equal values */
    EXACT
  }

  /**
   * One row's tolerance.
   *
   * @param kind how to compare
   * @param value the bound (0 for {@link Kind#EXACT})
   */
  public record Tolerance(Kind kind, double value) {
    /** True when an error of {@code maxAbs} / {@code rel} is within this tolerance. */
    boolean accepts(double maxAbs, double rel) {
      if (!Double.isFinite(maxAbs) || !Double.isFinite(rel)) {
        return false;
      }
      return switch (kind) {
        case ABS -> maxAbs <= value;
        case REL -> rel <= value;
        case EXACT -> maxAbs == 0;
      };
    }

    @Override
    public String toString() {
      return kind == Kind.EXACT ? "exact" : kind.name().toLowerCase(java.util.Locale.ROOT) + " " + value;
    }
  }

  private final Map<String, Tolerance> rows;

  private ParityTolerances(Map<String, Tolerance> rows) {
    this.rows = Collections.unmodifiableMap(rows);
  }

  /** Reads {@code file}; a missing file, bad JSON or an unknown kind is a {@link ModelLoadException} naming it. */
  public static ParityTolerances read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(file + ": missing; a golden folder holds tolerances.json with the tolerance of every"
          + " checked row (see its README)");
    }
    JsonNode rowsNode;
    try {
      rowsNode = new ObjectMapper().readTree(file.toFile()).path("rows");
    } catch (IOException e) {
      throw new ModelLoadException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    if (!rowsNode.isObject()) {
      throw new ModelLoadException(file + ": expected an object \"rows\" mapping each row to {\"kind\", \"value\"}");
    }
    Map<String, Tolerance> rows = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = rowsNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      rows.put(e.getKey(), parse(file, e.getKey(), e.getValue()));
    }
    return new ParityTolerances(rows);
  }

  private static Tolerance parse(Path file, String key, JsonNode node) {
    String kindText = node.path("kind").asText("");
    Kind kind = switch (kindText) {
      case "abs" -> Kind.ABS;
      case "rel" -> Kind.REL;
      case "exact" -> Kind.EXACT;
      default -> throw new ModelLoadException(file + ": row " + key + " has kind \"" + kindText
          + "\"; expected abs, rel or exact");
    };
    if (kind == Kind.EXACT) {
      return new Tolerance(kind, 0);
    }
    JsonNode value = node.get("value");
    if (value == null || !value.isNumber() || !(value.asDouble() >= 0) || !Double.isFinite(value.asDouble())) {
      throw new ModelLoadException(file + ": row " + key + " needs a finite number \"value\" >= 0 for kind " + kindText
          + ", got " + value);
    }
    return new Tolerance(kind, value.asDouble());
  }

  /** The tolerance of {@code key}, empty where the file lists none. */
  public Optional<Tolerance> of(String key) {
    return Optional.ofNullable(rows.get(key));
  }

  /** Every row the file lists, in its order. */
  public Map<String, Tolerance> rows() {
    return rows;
  }
}
