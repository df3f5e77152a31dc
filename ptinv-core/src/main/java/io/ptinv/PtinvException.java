package io.ptinv;

/** Root of every exception ptinv throws on purpose. Unchecked, so that lambdas and streams stay readable. */
public class PtinvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, in words a user can act on
   */
  public PtinvException(String message) {
    super(message);
  }

  /**
   * @param message what happened, in words a user can act on
   * @param cause the underlying failure
   */
  public PtinvException(String message, Throwable cause) {
    super(message, cause);
  }
}
