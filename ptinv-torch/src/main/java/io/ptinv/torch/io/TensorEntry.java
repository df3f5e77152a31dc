package io.ptinv.torch.io;

import java.util.Arrays;

/**
 * One tensor's header entry in a safetensors file.
 *
 * @param name the key
 * @param dtype element type
 * @param shape dimensions
 * @param begin byte offset of the first element, relative to the start of the data section
 * @param end byte offset one past the last element
 */
public record TensorEntry(String name, DType dtype, long[] shape, long begin, long end) {
  public long numel() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  public long byteLength() {
    return end - begin;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorEntry e
        && e.name.equals(name)
        && e.dtype == dtype
        && Arrays.equals(e.shape, shape)
        && e.begin == begin
        && e.end == end;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape);
  }
}
