package io.ptinv.examples.train;

import com.google.common.base.Preconditions;
import java.util.LinkedHashMap;
import java.util.Map;
import io.ptinv.torch.runtime.Scopes;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * An exponential moving average of weights, as diffusion models are usually sampled from:
 * {@code shadow <- decay * shadow + (1 - decay) * weight} after every optimiser step. The shadow tensors are
 * owned here and released by {@link #close()}.
 */
public final class Ema implements AutoCloseable {
  private final double decay;
  private final Map<String, Tensor> shadow = new LinkedHashMap<>();

  /** Starts the average at the current {@code weights} (copied). */
  public Ema(Map<String, Tensor> weights, double decay) {
    Preconditions.checkArgument(decay > 0 && decay < 1, "EMA decay must be in (0, 1), got %s", decay);
    this.decay = decay;
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      for (Map.Entry<String, Tensor> e : weights.entrySet()) {
        shadow.put(e.getKey(), Scopes.keep(e.getValue().detach().clone()));
      }
    }
  }

  public double decay() {
    return decay;
  }

  /** One averaging step towards {@code weights} (same names as at construction). */
  public void update(Map<String, Tensor> weights) {
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Scalar w = new Scalar(1 - decay);
      for (Map.Entry<String, Tensor> e : shadow.entrySet()) {
        e.getValue().lerp_(weights.get(e.getKey()), w);
      }
    }
  }

  /** The averaged weights, by name (owned by this object). */
  public Map<String, Tensor> weights() {
    return java.util.Collections.unmodifiableMap(shadow);
  }

  @Override
  public void close() {
    shadow.values().forEach(Scopes::release);
    shadow.clear();
  }
}
