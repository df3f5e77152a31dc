package io.ptinv.torch.io;

import io.ptinv.ModelLoadException;
import io.ptinv.torch.runtime.Torch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * A safetensors file opened for reading: an 8-byte little-endian header length, a JSON header (validated
 * by {@link SafeTensorsHeader}), then the data. Tensors are read one at a time from a read-only memory
 * mapping of just their bytes, so loading a 4 GB checkpoint never holds a second copy of the file in heap
 * or native memory: the only copy made is the tensor itself.
 */
public final class SafeTensorsFile implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final SafeTensorsHeader header;

  private SafeTensorsFile(Path path, FileChannel channel, long dataStart, SafeTensorsHeader header) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.header = header;
  }

  /** Opens and validates {@code path}; throws {@link ModelLoadException} naming the file on any defect. */
  public static SafeTensorsFile open(Path path) {
    String file = path.toString();
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(file + ": no such file");
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot open: " + e.getMessage(), e);
    }
    try {
      long size = channel.size();
      if (size < 8) {
        throw SafeTensorsHeader.fail(file, "truncated: " + size + " bytes, not even the 8-byte header length");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lenBuf, 0);
      long headerLen = lenBuf.flip().getLong();
      if (headerLen <= 0 || headerLen > size - 8 || headerLen > SafeTensorsHeader.MAX_HEADER_BYTES) {
        throw SafeTensorsHeader.fail(file, "corrupt header length " + headerLen + " for a file of " + size + " bytes");
      }
      ByteBuffer json = ByteBuffer.allocate((int) headerLen);
      readFully(channel, json, 8);
      SafeTensorsHeader header = SafeTensorsHeader.parse(json.array(), size - 8 - headerLen, file);
      return new SafeTensorsFile(path, channel, 8 + headerLen, header);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new ModelLoadException(file + ": cannot read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing useful to do
    }
  }

  public Path path() {
    return path;
  }

  /** Entries in header order. */
  public Map<String, TensorEntry> entries() {
    return header.entries();
  }

  public Map<String, String> metadata() {
    return header.metadata();
  }

  public boolean contains(String name) {
    return header.entries().containsKey(name);
  }

  /** The raw little-endian bytes of tensor {@code name}, memory-mapped (read-only). */
  public ByteBuffer bytes(String name) {
    TensorEntry e = entry(name);
    if (e.byteLength() > Integer.MAX_VALUE) {
      throw new ModelLoadException(path + ": tensor '" + name + "' is larger than 2 GiB");
    }
    try {
      MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.byteLength());
      return map.order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException ex) {
      throw new ModelLoadException(path + ": cannot read tensor '" + name + "': " + ex.getMessage(), ex);
    }
  }

  /** A new CPU tensor with a copy of tensor {@code name}, in its stored dtype. */
  public Tensor read(String name) {
    Torch.ensureLoaded();
    TensorEntry e = entry(name);
    TensorOptions options = new TensorOptions(e.dtype().scalarType());
    if (e.byteLength() == 0) {
      return torch.zeros(e.shape(), options);
    }
    ByteBuffer data = bytes(name);
    try (BytePointer pointer = new BytePointer(data)) {
      return torch.from_blob(pointer, e.shape(), options).clone();
    }
  }

  private TensorEntry entry(String name) {
    TensorEntry e = header.entries().get(name);
    if (e == null) {
      throw new ModelLoadException(path + ": no tensor '" + name + "'");
    }
    return e;
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }
}
