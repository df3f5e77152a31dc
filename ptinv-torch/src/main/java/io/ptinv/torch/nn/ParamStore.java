package io.ptinv.torch.nn;

import io.ptinv.torch.runtime.Scopes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Base of the parameter sources: records every parameter asked for (name and shape), keeps the tensors it
 * hands out alive beyond any scope, and releases them all in {@link #releaseAll()}. Modules are built
 * inside a {@link PointerScope} (the model factory's), which frees whatever building made besides the
 * parameters.
 */
public abstract class ParamStore implements Params {
  private final Map<String, long[]> requested = new LinkedHashMap<>();
  private final List<Tensor> owned = new ArrayList<>();

  @Override
  public final Tensor get(String name, long... shape) {
    if (PointerScope.getInnerScope() == null) {
      throw new IllegalStateException("build modules inside a PointerScope (parameter " + name + ")");
    }
    requested.put(name, shape.clone());
    Tensor t = create(name, shape);
    if (t != null) {
      owned.add(Scopes.keep(t));
    }
    return t;
  }

  /** Creates or loads the parameter; may return {@code null} only when shapes are merely being recorded. */
  protected abstract Tensor create(String name, long[] shape);

  /** Every parameter requested so far, in order, with its shape. */
  public Map<String, long[]> requested() {
    return requested;
  }

  /** The parameters by name, in the order they were asked for (for training and saving). */
  public Map<String, Tensor> named() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    int i = 0;
    for (String name : requested.keySet()) {
      out.put(name, owned.get(i++));
    }
    return out;
  }

  /** Releases every tensor handed out. */
  public void releaseAll() {
    owned.forEach(Scopes::release);
    owned.clear();
  }
}
