package io.ptinv.torch.io;

import java.util.Optional;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** The element types a safetensors file may declare, with their sizes and LibTorch equivalents. */
public enum DType {
  /** 64-bit float. */
  F64(8, ScalarType.Double),
  /** 32-bit float. */
  F32(4, ScalarType.Float),
  /** 16-bit IEEE float. */
  F16(2, ScalarType.Half),
  /** bfloat16. */
  BF16(2, ScalarType.BFloat16),
  /** 64-bit signed integer. */
  I64(8, ScalarType.Long),
  /** 32-bit signed integer. */
  I32(4, ScalarType.Int),
  /** 16-bit signed integer. */
  I16(2, ScalarType.Short),
  /** 8-bit signed integer. */
  I8(1, ScalarType.Char),
  /** 8-bit unsigned integer. */
  U8(1, ScalarType.Byte),
  /** Boolean. */
  BOOL(1, ScalarType.Bool);

  private final int bytes;
  private final ScalarType scalarType;

  DType(int bytes, ScalarType scalarType) {
    this.bytes = bytes;
    this.scalarType = scalarType;
  }

  /**
   * @return bytes per element
   */
  public int bytes() {
    return bytes;
  }

  /**
   * @return the LibTorch scalar type
   */
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

  /**
   * The safetensors dtype of a LibTorch scalar type.
   * @param type a scalar type with a safetensors name
   * @return its dtype
   */
  public static DType of(ScalarType type) {
    for (DType d : values()) {
      if (d.scalarType.value == type.value) { // enums from native code are not canonical instances
        return d;
      }
    }
    throw new IllegalArgumentException("no safetensors dtype for " + type);
  }
}
