package io.ptinv.files;

import io.ptinv.InvalidInputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files that appear complete or not at all: written to a hidden temporary file beside the target, then moved
 * over it. Temporary files are removed on every exit path — an exception, or the JVM ending on SIGTERM/SIGINT
 * (a shutdown hook deletes the ones still pending). They are created with the process's default permissions
 * (the umask decides), like any other file the program writes.
 */
public final class OutputFiles {
  private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(OutputFiles::deletePending, "ptinv-temp-cleanup"));
  }

  private OutputFiles() {}

  /**
   * Checks, before any work, that {@code file} can be written: it is not a directory, its folder exists (or can be
   * made) and takes new files, and an existing file there can be replaced.
   *
   * @param argument the name of the option or argument, for the message
   * @throws InvalidInputException naming {@code argument} and the reason otherwise
   */
  public static void checkWritable(Path file, String argument) {
    InvalidInputException.requireNonNull(file, argument);
    if (Files.isDirectory(file)) {
      throw new InvalidInputException(argument, file + " is a directory; expected a file name");
    }
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InvalidInputException(argument, "cannot create the folder " + dir + " for " + file + ": " + reason(e), e);
    }
    try {
      Path probe = createTemp(file);
      discard(probe);
    } catch (IOException e) {
      throw new InvalidInputException(argument, "cannot write " + file + ": the folder " + dir + " does not take new files ("
          + reason(e) + ")", e);
    }
    if (Files.exists(file)) {
      // opening for writing without truncation changes nothing, and fails on a read-only or immutable file
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        // only probing
      } catch (IOException e) {
        throw new InvalidInputException(argument, "cannot replace " + file + " (" + reason(e) + ")", e);
      }
    }
  }

  /**
   * A new empty hidden file beside {@code target} ({@code .NAME.RANDOM.tmp}), registered for deletion at JVM exit
   * until {@link #commit} or {@link #discard}.
   */
  public static Path createTemp(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    for (int attempt = 0; ; attempt++) {
      Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
      try {
        PENDING.add(tmp);
        return Files.createFile(tmp); // default attributes: 0666 minus the umask
      } catch (FileAlreadyExistsException e) {
        PENDING.remove(tmp);
        if (attempt > 100) {
          throw e;
        }
      } catch (IOException | RuntimeException e) {
        PENDING.remove(tmp);
        throw e;
      }
    }
  }

  /** Moves a finished temporary file over {@code target} (atomically where the file system allows). */
  public static void commit(Path tmp, Path target) throws IOException {
    moveAtomically(tmp, target);
    PENDING.remove(tmp);
  }

  /** Deletes a temporary file that will not be committed (no-op when it is gone). */
  public static void discard(Path tmp) throws IOException {
    try {
      Files.deleteIfExists(tmp);
    } finally {
      PENDING.remove(tmp);
    }
  }

  /**
   * Writes {@code text} (UTF-8) to {@code file} through a temporary file: it appears complete or not at all.
   *
   * @param file the target
   * @param text the content
   * @throws java.io.UncheckedIOException naming the file if it cannot be written
   */
  public static void writeString(Path file, String text) {
    try {
      Path tmp = createTemp(file);
      try {
        Files.writeString(tmp, text);
        commit(tmp, file);
      } finally {
        discard(tmp);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Moves {@code from} onto {@code to}, atomically where the file system allows. */
  public static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deletePending() {
    for (Path p : PENDING) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException | RuntimeException e) {
        // best effort while the JVM ends
      }
    }
  }

  private static String reason(IOException e) {
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + " exists and is not a folder";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
