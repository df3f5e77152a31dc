package io.ptinv;

import com.google.common.base.Preconditions;
import java.util.Arrays;

/**
 * A small float32 tensor held in Java memory: row-major values and a shape. The public, backend-free form
 * of latents and embeddings (what {@link EmbeddingTrajectory} hands out and what trajectory files store).
 */
public final class TensorData {
  private final long[] shape;
  private final float[] values;

  private TensorData(long[] shape, float[] values) {
    this.shape = shape;
    this.values = values;
  }

  /** Copies {@code values}; their count must equal the product of {@code shape}. */
  public static TensorData of(float[] values, long... shape) {
    Preconditions.checkNotNull(values, "values");
    long n = 1;
    for (long d : shape) {
      InvalidInputException.check(d >= 0, "shape", "non-negative dimensions", Arrays.toString(shape));
      n = Math.multiplyExact(n, d);
    }
    InvalidInputException.check(
        n == values.length, "values", n + " values for shape " + Arrays.toString(shape), values.length + " values");
    return new TensorData(shape.clone(), values.clone());
  }

  /**
   * @return a copy of the shape
   */
  public long[] shape() {
    return shape.clone();
  }

  /**
   * @return the number of dimensions
   */
  public int rank() {
    return shape.length;
  }

  /**
   * @return the number of values
   */
  public int size() {
    return values.length;
  }

  /** A copy of the values, row-major. */
  public float[] values() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorData t && Arrays.equals(t.shape, shape) && Arrays.equals(t.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "TensorData" + Arrays.toString(shape);
  }
}
