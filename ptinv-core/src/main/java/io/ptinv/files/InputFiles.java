package io.ptinv.files;

import io.ptinv.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The check every input file gets before any work: it exists and is a regular file, not a directory. */
public final class InputFiles {
  private InputFiles() {}

  /**
   * @param argument the name of the option or argument, for the message
   * @param kind what the file should be, e.g. {@code "an image file"}
   * @throws InvalidInputException naming {@code argument} when {@code file} is null, missing, a directory or not a
   *     regular file
   */
  public static void checkRegularFile(Path file, String argument, String kind) {
    InvalidInputException.requireNonNull(file, argument);
    if (Files.isDirectory(file)) {
      throw new InvalidInputException(argument, file + " is a directory; expected " + kind);
    }
    if (!Files.exists(file)) {
      throw new InvalidInputException(argument, "no such file: " + file);
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(argument, file + " is not a regular file; expected " + kind);
    }
  }
}
