package io.ptinv.torch.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * Where a module's parameters come from while it is built: loaded weights, random initialisation, or a
 * shape recorder. Modules ask for each parameter by its diffusers name and expected shape; the source
 * checks or creates it. {@link #sub} scopes names like {@code down_blocks.0.resnets.1}.
 */
public interface Params {

  /** The parameter {@code name} (relative to this scope) with exactly {@code shape}. */
  Tensor get(String name, long... shape);

  /** A view whose names are prefixed with {@code prefix + "."}. */
  default Params sub(String prefix) {
    Params parent = this;
    return new Params() {
      @Override
      public Tensor get(String name, long... shape) {
        return parent.get(prefix + "." + name, shape);
      }
    };
  }

  default Params sub(String prefix, int index) {
    return sub(prefix + "." + index);
  }
}
