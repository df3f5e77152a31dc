package io.ptinv;

/**
 * A call on an editor or model that has been closed. {@code close()} waits for the calls already running; the
 * calls that start afterwards fail with this exception instead of touching released native memory.
 */
public class ClosedException extends PtinvException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, in words a user can act on
   */
  public ClosedException(String message) {
    super(message);
  }
}
