package io.ptinv.torch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ptinv.ModelLoadException;
import io.ptinv.torch.runtime.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @TempDir Path dir;

  /** A file with the given header JSON and {@code dataBytes} zero bytes of data. */
  private Path raw(String name, String json, int dataBytes) throws Exception {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    Path f = dir.resolve(name);
    Files.write(f, b.array());
    return f;
  }

  @Test
  void writeThenReadRoundTripsEveryDtype() {
    Path f = dir.resolve("t.safetensors");
    try (PointerScope scope = new PointerScope()) {
      Tensor a = Tensors.fromFloats(new float[] {1.5f, -2f, 3.25f, 0f, 7f, 8f}, 2, 3);
      Map<String, Tensor> in = new LinkedHashMap<>();
      in.put("a", a);
      in.put("half", a.to(torch.ScalarType.Half));
      in.put("bf16", a.to(torch.ScalarType.BFloat16));
      in.put("ids", Tensor.create(new long[] {1, 2, 3}, 3));
      in.put("empty", torch.zeros(0, 4));
      SafeTensorsWriter.write(f, in, Map.of("format", "pt", "note", "x"));
      try (SafeTensorsFile r = SafeTensorsFile.open(f)) {
        assertThat(r.entries().keySet()).containsExactly("a", "half", "bf16", "ids", "empty");
        assertThat(r.metadata()).containsEntry("note", "x");
        assertThat(r.entries().get("half").dtype()).isEqualTo(DType.F16);
        assertThat(Tensors.toFloats(r.read("a"))).containsExactly(1.5f, -2f, 3.25f, 0f, 7f, 8f);
        assertThat(Tensors.toFloats(r.read("half"))).containsExactly(1.5f, -2f, 3.25f, 0f, 7f, 8f);
        assertThat(Tensors.toFloats(r.read("bf16"))).containsExactly(1.5f, -2f, 3.25f, 0f, 7f, 8f);
        assertThat(r.read("ids").shape()).containsExactly(3);
        assertThat(r.read("empty").shape()).containsExactly(0, 4);
      }
    }
    assertThat(dir.toFile().list()).containsExactly("t.safetensors");
  }

  @Test
  void truncatedFileIsNamed() throws Exception {
    Path f = raw("trunc.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
    assertThatThrownBy(() -> SafeTensorsFile.open(f))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("trunc.safetensors")
        .hasMessageContaining("'w'")
        .hasMessageContaining("outside the data section");
    Path tiny = dir.resolve("tiny.safetensors");
    Files.write(tiny, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> SafeTensorsFile.open(tiny)).isInstanceOf(ModelLoadException.class).hasMessageContaining("truncated");
  }

  @Test
  void unknownDtypeIsNamed() throws Exception {
    Path f = raw("dt.safetensors", "{\"w\":{\"dtype\":\"F8_E4M3X\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4);
    assertThatThrownBy(() -> SafeTensorsFile.open(f))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("dt.safetensors")
        .hasMessageContaining("tensor 'w'")
        .hasMessageContaining("unknown dtype 'F8_E4M3X'");
  }

  @Test
  void shapeAndSpanMustAgree() throws Exception {
    Path f = raw("span.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 24);
    assertThatThrownBy(() -> SafeTensorsFile.open(f))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("needs 24 bytes but data_offsets span 20");
  }

  @Test
  void overlappingAndDuplicateTensorsAreRejected() throws Exception {
    Path overlap = raw("ov.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
    assertThatThrownBy(() -> SafeTensorsFile.open(overlap)).isInstanceOf(ModelLoadException.class).hasMessageContaining("overlap");
    Path dup = raw("dup.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
    assertThatThrownBy(() -> SafeTensorsFile.open(dup)).isInstanceOf(ModelLoadException.class).hasMessageContaining("Duplicate");
  }

  @Test
  void corruptHeaderIsNamed() throws Exception {
    Path json = raw("bad.safetensors", "{\"w\": [1, 2", 0);
    assertThatThrownBy(() -> SafeTensorsFile.open(json)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("bad.safetensors").hasMessageContaining("not valid JSON");
    Path huge = dir.resolve("huge.safetensors");
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE - 3).putLong(0);
    Files.write(huge, b.array());
    assertThatThrownBy(() -> SafeTensorsFile.open(huge)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("corrupt header length");
    assertThatThrownBy(() -> SafeTensorsFile.open(dir.resolve("missing.safetensors"))).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no such file");
  }

  /**
   * Random bytes, truncations and bit flips of a real header never give anything but a clean open or a
   * {@link ModelLoadException}: no other exception, no hang, no out-of-memory.
   */
  @Test
  void fuzzedHeadersFailOnlyWithTheTypedError() throws Exception {
    Path real = dir.resolve("real.safetensors");
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> in = new LinkedHashMap<>();
      in.put("x", torch.ones(3, 4));
      in.put("y.bias", torch.zeros(5));
      SafeTensorsWriter.write(real, in, Map.of("k", "v"));
    }
    byte[] good = Files.readAllBytes(real);
    Random rng = new Random(42);
    Path f = dir.resolve("fuzz.safetensors");
    int typedErrors = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] bytes;
      switch (i % 3) {
        case 0 -> {
          bytes = good.clone();
          for (int k = 0; k <= rng.nextInt(4); k++) {
            int pos = rng.nextInt(bytes.length);
            bytes[pos] ^= (byte) (1 << rng.nextInt(8));
          }
        }
        case 1 -> bytes = java.util.Arrays.copyOf(good, rng.nextInt(good.length));
        default -> {
          bytes = new byte[rng.nextInt(200)];
          rng.nextBytes(bytes);
          if (bytes.length >= 8 && rng.nextBoolean()) {
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, rng.nextLong());
          }
        }
      }
      Files.write(f, bytes);
      try (SafeTensorsFile opened = SafeTensorsFile.open(f); PointerScope scope = new PointerScope()) {
        for (String name : opened.entries().keySet()) {
          opened.read(name); // a header that validates must also be readable
        }
      } catch (ModelLoadException e) {
        typedErrors++;
        assertThat(e.getMessage()).contains("fuzz.safetensors");
      }
    }
    assertThat(typedErrors).as("most mutations must be detected").isGreaterThan(1500);
  }
}
