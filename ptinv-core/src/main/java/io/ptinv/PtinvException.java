package io.ptinv;

/** Root of every exception ptinv throws on purpose. Unchecked, so that lambdas and streams stay readable. */
public class PtinvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PtinvException(String message) {
    super(message);
  }

  public PtinvException(String message, Throwable cause) {
    super(message, cause);
  }
}
