package io.ptinv;

/** A model folder, checkpoint or weight file could not be loaded. The message names the file and, where known, the tensor. */
public class ModelLoadException extends PtinvException {
  private static final long serialVersionUID = 1L;

  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
