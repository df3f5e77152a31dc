package io.ptinv.torch.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ptinv.files.OutputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Writes tensors as a safetensors file. The file is written to a temporary file beside the target and
 * moved into place, so readers see the old file or the complete new one, never a half-written one.
 */
public final class SafeTensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SafeTensorsWriter() {}

  /**
   * @param tensors in the order they are written; any device and dtype with a safetensors name
   * @param metadata the {@code __metadata__} strings (may be empty)
   */
  public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {
    try (PointerScope scope = new PointerScope()) {
      List<Tensor> cpu = new ArrayList<>();
      ObjectNode header = JSON.createObjectNode();
      if (!metadata.isEmpty()) {
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
      }
      long offset = 0;
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        Tensor t = e.getValue().detach().cpu().contiguous();
        cpu.add(t);
        ObjectNode entry = header.putObject(e.getKey());
        entry.put("dtype", DType.of(t.scalar_type()).name());
        ArrayNode shape = entry.putArray("shape");
        for (long d : t.shape()) {
          shape.add(d);
        }
        long n = t.nbytes();
        entry.putArray("data_offsets").add(offset).add(offset + n);
        offset += n;
      }
      byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
      int padded = (json.length + 7) / 8 * 8;
      ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
      head.putLong(padded).put(json);
      while (head.hasRemaining()) {
        head.put((byte) ' ');
      }
      head.flip();

      Path tmp = OutputFiles.createTemp(path);
      try {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
          writeFully(ch, head);
          for (Tensor t : cpu) {
            if (t.nbytes() > 0) {
              ByteBuffer data = new BytePointer(t.data_ptr()).capacity(t.nbytes()).asByteBuffer();
              writeFully(ch, data);
            }
          }
          ch.force(true);
        }
        OutputFiles.commit(tmp, path);
      } finally {
        OutputFiles.discard(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}
