package io.ptinv.torch.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.ModelLoadException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated JSON header of a safetensors file: {@code {"name": {"dtype", "shape",
 * "data_offsets": [begin, end]}, ..., "__metadata__": {string: string}}}.
 *
 * <p>Validation (each failure a {@link ModelLoadException} naming the file and tensor): JSON syntax, no
 * duplicate keys, known dtype names, non-negative integer shapes, {@code numel * dtype size == end -
 * begin}, spans inside the data section and not overlapping.
 */
public final class SafeTensorsHeader {
  /** Headers larger than this are refused (real SD checkpoints have headers well under 1 MiB). */
  public static final long MAX_HEADER_BYTES = 100L << 20;

  private static final ObjectMapper JSON =
      new ObjectMapper(JsonFactory.builder().build().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

  private final Map<String, TensorEntry> entries;
  private final Map<String, String> metadata;

  private SafeTensorsHeader(Map<String, TensorEntry> entries, Map<String, String> metadata) {
    this.entries = Collections.unmodifiableMap(entries);
    this.metadata = Collections.unmodifiableMap(metadata);
  }

  public Map<String, TensorEntry> entries() {
    return entries;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * Parses {@code json} as the header of {@code file} whose data section has {@code dataBytes} bytes.
   *
   * @param file only for messages
   */
  public static SafeTensorsHeader parse(byte[] json, long dataBytes, String file) {
    JsonNode root;
    try {
      root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw fail(file, "header is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw fail(file, "header is not a JSON object");
    }
    Map<String, TensorEntry> entries = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals("__metadata__")) {
        readMetadata(field.getValue(), metadata, file);
      } else {
        entries.put(name, readEntry(name, field.getValue(), dataBytes, file));
      }
    }
    checkNoOverlap(entries, file);
    return new SafeTensorsHeader(entries, metadata);
  }

  private static void readMetadata(JsonNode node, Map<String, String> into, String file) {
    if (!node.isObject()) {
      throw fail(file, "__metadata__ is not an object of strings");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw fail(file, "__metadata__." + e.getKey() + " is not a string");
      }
      into.put(e.getKey(), e.getValue().asText());
    }
  }

  private static TensorEntry readEntry(String name, JsonNode node, long dataBytes, String file) {
    String where = "tensor '" + name + "'";
    if (!node.isObject()) {
      throw fail(file, where + ": entry is not an object");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw fail(file, where + ": missing dtype");
    }
    DType dtype =
        DType.parse(dtypeNode.asText())
            .orElseThrow(() -> fail(file, where + ": unknown dtype '" + dtypeNode.asText() + "'"));
    long[] shape = readLongs(node.get("shape"), -1, where + ": shape", file);
    long[] offsets = readLongs(node.get("data_offsets"), 2, where + ": data_offsets", file);
    long begin = offsets[0];
    long end = offsets[1];
    if (begin > end || end > dataBytes) {
      throw fail(file, where + ": data_offsets [" + begin + ", " + end + "] outside the data section of " + dataBytes + " bytes");
    }
    long numel = 1;
    try {
      for (long d : shape) {
        numel = Math.multiplyExact(numel, d);
      }
      long expected = Math.multiplyExact(numel, (long) dtype.bytes());
      if (expected != end - begin) {
        throw fail(file, where + ": shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs " + expected
            + " bytes but data_offsets span " + (end - begin));
      }
    } catch (ArithmeticException e) {
      throw fail(file, where + ": shape " + java.util.Arrays.toString(shape) + " is too large");
    }
    return new TensorEntry(name, dtype, shape, begin, end);
  }

  private static long[] readLongs(JsonNode node, int expectedLength, String what, String file) {
    if (node == null || !node.isArray() || (expectedLength >= 0 && node.size() != expectedLength)) {
      throw fail(file, what + " must be an array" + (expectedLength >= 0 ? " of " + expectedLength + " integers" : " of integers"));
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
        throw fail(file, what + " must hold non-negative integers, found " + v);
      }
      out[i] = v.asLong();
    }
    return out;
  }

  private static void checkNoOverlap(Map<String, TensorEntry> entries, String file) {
    List<TensorEntry> sorted = new ArrayList<>(entries.values());
    sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
    for (int i = 1; i < sorted.size(); i++) {
      TensorEntry prev = sorted.get(i - 1);
      TensorEntry cur = sorted.get(i);
      if (cur.begin() < prev.end()) {
        throw fail(file, "tensors '" + prev.name() + "' and '" + cur.name() + "' overlap in the data section");
      }
    }
  }

  static ModelLoadException fail(String file, String message) {
    return new ModelLoadException(file + ": " + message);
  }
}
