package io.ptinv;

/**
 * An argument, option, image or prompt the caller supplied is not acceptable. The message names the
 * argument, what was expected and what was given.
 */
public class InvalidInputException extends PtinvException {
  private static final long serialVersionUID = 1L;
  /** The name of the offending argument, option, file or tensor. */
  private final String argument;

  /**
   * @param argument the name of the offending argument, option, file or tensor
   * @param message what was expected and what was given
   */
  public InvalidInputException(String argument, String message) {
    super(argument + ": " + message);
    this.argument = argument;
  }

  /**
   * @param argument the name of the offending argument, option, file or tensor
   * @param message what was expected and what was given
   * @param cause the underlying failure
   */
  public InvalidInputException(String argument, String message, Throwable cause) {
    super(argument + ": " + message, cause);
    this.argument = argument;
  }

  /** The name of the offending argument, option, file or tensor. */
  public String argument() {
    return argument;
  }

  /**
   * Throws an {@link InvalidInputException} unless {@code condition} holds.
   *
   * @param argument name of the argument as the caller knows it (e.g. {@code "eta"})
   * @param expected what a valid value looks like (e.g. {@code "a value in [0, 1]"})
   * @param actual the value that was given, shown in the message
   */
  public static void check(boolean condition, String argument, String expected, Object actual) {
    if (!condition) {
      throw new InvalidInputException(argument, "expected " + expected + " but got " + actual);
    }
  }

  /**
   * Returns {@code value}, or throws an {@link InvalidInputException} naming {@code argument} when it is null —
   * for the checks at the API boundary, before any work starts.
   */
  public static <T> T requireNonNull(T value, String argument) {
    if (value == null) {
      throw new InvalidInputException(argument, "must not be null");
    }
    return value;
  }
}
