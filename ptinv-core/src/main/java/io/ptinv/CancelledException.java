package io.ptinv;

/** A {@link ProgressListener} asked to stop; the run was abandoned and its native memory released. */
public class CancelledException extends PtinvException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, in words a user can act on
   */
  public CancelledException(String message) {
    super(message);
  }
}
