package io.ptinv;

/** The native backend (LibTorch, CUDA) failed or is unavailable, e.g. a requested CUDA device does not exist. */
public class BackendException extends PtinvException {
  private static final long serialVersionUID = 1L;

  public BackendException(String message) {
    super(message);
  }

  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
