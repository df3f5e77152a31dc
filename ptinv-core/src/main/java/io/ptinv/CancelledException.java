package io.ptinv;

/** A {@link ProgressListener} asked to stop; the run was abandoned and its native memory released. */
public class CancelledException extends PtinvException {
  private static final long serialVersionUID = 1L;

  public CancelledException(String message) {
    super(message);
  }
}
