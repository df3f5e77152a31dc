package io.ptinv;

/** A loss, latent or embedding became NaN or infinite. The message names the stage and timestep. */
public class NumericalException extends PtinvException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, in words a user can act on
   */
  public NumericalException(String message) {
    super(message);
  }
}
