package io.ptinv.torch.io;

import java.util.Optional;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** The element types a safetensors file may declare, with their sizes and LibTorch equivalents. */
public enum DType {
  F64(8, ScalarType.Double),
  F32(4, ScalarType.Float),
  F16(2, ScalarType.Half),
  BF16(2, ScalarType.BFloat16),
  I64(8, ScalarType.Long),
  I32(4, ScalarType.Int),
  I16(2, ScalarType.Short),
  I8(1, ScalarType.Char),
  U8(1, ScalarType.Byte),
  BOOL(1, ScalarType.Bool);

  private final int bytes;
  private final ScalarType scalarType;

  DType(int bytes, ScalarType scalarType) {
    this.bytes = bytes;
    this.scalarType = scalarType;
  }

  public int bytes() {
    return bytes;
  }

  public ScalarType scalarType() {
    return scalarType;
  }

  /** The dtype named {@code name} in a safetensors header, if it is one. */
  public static Optional<DType> parse(String name) {
    for (DType d : values()) {
      if (d.name().equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  public static DType of(ScalarType type) {
    for (DType d : values()) {
      if (d.scalarType.value == type.value) { // enums from native code are not canonical instances
        return d;
      }
    }
    throw new IllegalArgumentException("no safetensors dtype for " + type);
  }
}
