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
    Path status = Path.of("/proc/self/status");
    if (Files.isReadable(status)) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmRSS:")) {
            String kb = line.substring(6).trim().split("\\s+")[0];
            return Long.parseLong(kb) * 1024;
          }
        }
      } catch (IOException | NumberFormatException e) {
        // fall back below
      }
    }
    return Pointer.physicalBytes();
  }
}
