package io.ptinv.torch.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * Records which parameters a model asks for and their shapes without allocating anything, so that an
 * SD-v1-sized architecture can be checked against the real checkpoint layout in milliseconds.
 */
public final class ShapeRecorder extends ParamStore {
  @Override
  protected Tensor create(String name, long[] shape) {
    return null;
  }
}
