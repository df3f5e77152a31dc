package io.ptinv.torch.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Pointer;

/** Readings of the process's memory, for leak tests and diagnostics. */
public final class NativeMemory {
  private NativeMemory() {}

  /**
   * Resident set size in bytes from {@code /proc/self/status} (Linux), or JavaCPP's {@link
   * Pointer#physicalBytes()} elsewhere.
   */
  public static long residentBytes() {
    long bytes = statusField("VmRSS:");
    return bytes >= 0 ? bytes : Pointer.physicalBytes();
  }

  /**
   * Anonymous resident memory in bytes ({@code RssAnon} of {@code /proc/self/status}: heap allocations, the
   * native allocator's arenas, the Java heap's touched pages), after returning freed heap pages to the
   * operating system ({@code malloc_trim(0)} through {@link Pointer#trimMemory()}). This is the reading for
   * leak tests: it leaves out file-backed pages ({@code RssFile}), such as a memory-mapped weights file whose
   * mapping lives until the garbage collector frees its buffer, which swing {@link #residentBytes()} by the
   * file's size between identical calls. It does not run the garbage collector (that would free leaked native
   * memory through JavaCPP's deallocators and hide the leak). Falls back to {@link #residentBytes()} where
   * {@code RssAnon} is not reported.
   */
  public static long anonymousResidentBytes() {
    Pointer.trimMemory();
    long bytes = statusField("RssAnon:");
    return bytes >= 0 ? bytes : residentBytes();
  }

  /**
   * Peak resident set size in bytes ({@code VmHWM} of {@code /proc/self/status}) since the process started or the
   * last successful {@link #resetPeakResident()}; -1 where the system does not report it.
   */
  public static long peakResidentBytes() {
    return statusField("VmHWM:");
  }

  /**
   * Resets {@link #peakResidentBytes()} to the current resident size (Linux: writes {@code 5} to
   * {@code /proc/self/clear_refs}).
   *
   * @return whether the reset took place (false where the file is missing or not writable)
   */
  public static boolean resetPeakResident() {
    Path clearRefs = Path.of("/proc/self/clear_refs");
    try {
      Files.writeString(clearRefs, "5");
      return true;
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** A {@code kB} field of {@code /proc/self/status} in bytes, or -1 where there is none. */
  private static long statusField(String name) {
    Path status = Path.of("/proc/self/status");
    if (Files.isReadable(status)) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith(name)) {
            String kb = line.substring(name.length()).trim().split("\\s+")[0];
            return Long.parseLong(kb) * 1024;
          }
        }
      } catch (IOException | NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }
}
