package io.ptinv;

/** A model folder, checkpoint or weight file could not be loaded. The message names the file and, where known, the tensor. */
public class ModelLoadException extends PtinvException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, in words a user can act on
   */
  public ModelLoadException(String message) {
    super(message);
  }

  /**
   * @param message what happened, in words a user can act on
   * @param cause the underlying failure
   */
  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
