package io.ptinv.torch.unet;

import io.ptinv.torch.runtime.Scopes;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.bytedeco.pytorch.Tensor;

/**
 * "Store maps": keeps a copy of the cross-attention probabilities {@code [B, heads, Nq, 77]} of the
 * latest UNet call, per cross-attention layer, for the layers the filter selects (e.g. those at 1/4 of the
 * latent side, where local blending reads its masks). The copies are detached and outlive the call; {@link
 * #close()} (or the next call's maps) frees them.
 */
public final class AttentionStore implements AttentionControl, AutoCloseable {
  private final Predicate<AttentionSite> filter;
  private final Map<Integer, Tensor> maps = new TreeMap<>();

  public AttentionStore(Predicate<AttentionSite> filter) {
    this.filter = filter;
  }

  /** Stores every cross-attention layer. */
  public static AttentionStore allCrossLayers() {
    return new AttentionStore(site -> true);
  }

  @Override
  public boolean wantsProbabilities(AttentionSite site) {
    return site.cross() && filter.test(site);
  }

  @Override
  public synchronized Tensor onProbabilities(AttentionSite site, Tensor probabilities) {
    Tensor old = maps.put(site.crossIndex(), Scopes.keep(probabilities.detach().clone()));
    Scopes.release(old);
    return probabilities;
  }

  /** The stored maps by cross-attention index (owned by this store). */
  public synchronized Map<Integer, Tensor> maps() {
    return Map.copyOf(maps);
  }

  @Override
  public synchronized void close() {
    maps.values().forEach(Scopes::release);
    maps.clear();
  }
}
