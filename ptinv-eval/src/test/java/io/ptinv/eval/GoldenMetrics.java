package io.ptinv.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.torch.io.SafeTensorsFile;
import io.ptinv.torch.runtime.Tensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;

/** Access to {@code ../shared/golden-metrics} (system property {@code ptinv.golden.metrics.dir}). */
final class GoldenMetrics implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  final Path dir;
  final SafeTensorsFile tensors;
  final JsonNode masks;
  final JsonNode tolerances;

  GoldenMetrics() {
    dir = Path.of(System.getProperty("ptinv.golden.metrics.dir", "../../shared/golden-metrics")).toAbsolutePath()
        .normalize();
    assertThat(Files.isDirectory(dir)).as("golden metrics folder %s (set -Dptinv.golden.metrics.dir)", dir).isTrue();
    tensors = SafeTensorsFile.open(dir.resolve("metrics.safetensors"));
    try {
      masks = JSON.readTree(dir.resolve("masks.json").toFile());
      tolerances = JSON.readTree(dir.resolve("tolerances.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long[] shape(String key) {
    return tensors.entries().get(key).shape();
  }

  /** A tensor's values as doubles. */
  double[] values(String key) {
    try (PointerScope scope = new PointerScope()) {
      return Tensors.toDoubles(tensors.read(key));
    }
  }

  double scalar(String key) {
    return values(key)[0];
  }

  /** {@code <p>.src} / {@code <p>.tgt} (uint8 H x W x 3) as an {@link EvalImage}. */
  EvalImage image(String key) {
    long[] s = shape(key);
    double[] v = values(key);
    byte[] bytes = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      bytes[i] = (byte) (int) v[i];
    }
    return EvalImage.fromRgb8(bytes, (int) s[0], (int) s[1]);
  }

  boolean[] mask(String pair) {
    double[] v = values(pair + ".mask");
    boolean[] m = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      m[i] = v[i] != 0;
    }
    return m;
  }

  /** The {@code (atol, rtol)} of the tolerance row whose name starts with {@code prefix}. */
  double[] tolerance(String prefix) {
    for (JsonNode row : tolerances) {
      if (row.path("row").asText().startsWith(prefix)) {
        return new double[] {row.path("atol").asDouble(), row.path("rtol").asDouble()};
      }
    }
    throw new AssertionError("no tolerance row " + prefix + " in " + dir.resolve("tolerances.json"));
  }

  /** {@code |ours - ref| <= atol + rtol |ref|} with {@code tol = (atol, rtol)}. */
  static void assertWithin(String what, double ours, double ref, double[] tol) {
    assertThat(Math.abs(ours - ref)).as("%s: ours %s, reference %s", what, ours, ref)
        .isLessThanOrEqualTo(tol[0] + tol[1] * Math.abs(ref));
  }

  /** The three parts PIE-Bench measures of a pair: whole (null), unedited, edited. */
  boolean[][] parts(String pair) {
    boolean[] mask = mask(pair);
    return new boolean[][] {null, PieBenchMask.invert(mask), mask};
  }

  @Override
  public void close() {
    tensors.close();
  }
}
