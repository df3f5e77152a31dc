package io.ptinv;

/** The native backend (LibTorch, CUDA) failed or is unavailable, e.g. a requested CUDA device does not exist. */
public class BackendException extends PtinvException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, in words a user can act on
   */
  public BackendException(String message) {
    super(message);
  }

  /**
   * @param message what happened, in words a user can act on
   * @param cause the underlying failure
   */
  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
