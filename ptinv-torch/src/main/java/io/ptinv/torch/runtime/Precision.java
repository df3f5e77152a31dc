package io.ptinv.torch.runtime;

import io.ptinv.InvalidInputException;
import java.util.Locale;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Floating-point type of the UNet's and text encoder's weights and activations (the VAE always runs in fp32, and the
 * embeddings an inversion tunes, their optimiser state and the loss stay fp32). FP32 is the default; FP16 and BF16
 * halve memory and use tensor cores on CUDA; BF16 also runs on the CPU.
 */
public enum Precision {
  /** 32-bit IEEE floats: the default everywhere. */
  FP32(ScalarType.Float),
  /** 16-bit IEEE floats (CUDA only): half the memory, tensor cores; the VAE stays fp32. */
  FP16(ScalarType.Half),
  /**
   * bfloat16: fp32's range with 8 bits of mantissa. On CUDA and on the CPU (where LibTorch runs it without speed-up
   * unless the processor has bf16 instructions: for memory and for testing the mixed-precision paths).
   */
  BF16(ScalarType.BFloat16);

  private final ScalarType scalarType;

  Precision(ScalarType scalarType) {
    this.scalarType = scalarType;
  }

  /** LibTorch's scalar type for this precision. */
  public ScalarType scalarType() {
    return scalarType;
  }

  /** The default for a device: FP32 everywhere (the numerically safe choice). */
  public static Precision defaultFor(ComputeDevice device) {
    return FP32;
  }

  /** Parses {@code fp32|fp16|bf16} (also {@code float32, float16, half, bfloat16}). */
  public static Precision parse(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "fp32", "float32", "float" -> FP32;
      case "fp16", "float16", "half" -> FP16;
      case "bf16", "bfloat16" -> BF16;
      default -> throw new InvalidInputException("precision", "expected fp32, fp16 or bf16 but got " + name);
    };
  }

  /** Throws {@link InvalidInputException} if this precision cannot run on {@code device}. */
  public void checkSupportedOn(ComputeDevice device) {
    InvalidInputException.check(
        this != FP16 || device.cuda(), "precision", "fp32 or bf16 on CPU (fp16 needs a CUDA device)", this);
  }
}
