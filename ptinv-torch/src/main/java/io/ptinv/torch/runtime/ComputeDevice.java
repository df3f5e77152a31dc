package io.ptinv.torch.runtime;

import io.ptinv.BackendException;
import io.ptinv.InvalidInputException;
import java.util.Locale;
import org.bytedeco.pytorch.Device;

/**
 * Where tensors live: {@code cpu} or {@code cuda[:index]}. {@link #select(String)} picks one from an explicit
 * choice, the system property {@value #PROPERTY}, the environment variable {@value #ENV}, or automatically
 * (CUDA when available, else CPU), in that order.
 *
 * @param cuda whether this is a CUDA device
 * @param index the CUDA device index (0 for CPU)
 */
public record ComputeDevice(boolean cuda, int index) {
  /** System property naming the device; wins over {@link #ENV}. */
  public static final String PROPERTY = "ptinv.device";
  /** Environment variable naming the device when no choice is given (cpu, cuda, cuda:N). */
  public static final String ENV = "PTINV_DEVICE";
  /** The CPU. */
  public static final ComputeDevice CPU = new ComputeDevice(false, 0);

  /**
   * Resolves a device. {@code choice} may be {@code null} or {@code "auto"} (then the property, the
   * environment, then CUDA if available), {@code "cpu"}, {@code "cuda"} or {@code "cuda:N"}.
   *
   * @throws InvalidInputException for an unknown name
   * @throws BackendException if CUDA is asked for but not available
   */
  public static ComputeDevice select(String choice) {
    String spec = choice;
    if (spec == null || spec.isBlank() || spec.equalsIgnoreCase("auto")) {
      spec = System.getProperty(PROPERTY);
    }
    if (spec == null || spec.isBlank() || spec.equalsIgnoreCase("auto")) {
      spec = System.getenv(ENV);
    }
    if (spec == null || spec.isBlank() || spec.equalsIgnoreCase("auto")) {
      return Torch.cudaAvailable() ? new ComputeDevice(true, 0) : CPU;
    }
    ComputeDevice device = parse(spec);
    if (device.cuda()) {
      int count = Torch.cudaDeviceCount();
      if (device.index() >= count) {
        throw new BackendException(
            "device " + spec + " requested but " + (count == 0 ? "CUDA is not available" : "only " + count
                + " CUDA device(s) exist") + (Torch.builtWithCuda() ? "" : " (the CPU-only LibTorch natives are in use)"));
      }
    }
    return device;
  }

  /** Parses {@code cpu}, {@code cuda} or {@code cuda:N} without checking availability. */
  public static ComputeDevice parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("cpu")) {
      return CPU;
    }
    if (s.equals("cuda") || s.equals("gpu")) {
      return new ComputeDevice(true, 0);
    }
    if (s.startsWith("cuda:")) {
      try {
        int idx = Integer.parseInt(s.substring(5));
        if (idx >= 0) {
          return new ComputeDevice(true, idx);
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new InvalidInputException("device", "expected auto, cpu, cuda or cuda:N but got " + spec);
  }

  /** A new LibTorch {@link Device} for this device (caller owns it). */
  public Device toTorch() {
    Torch.ensureLoaded();
    return new Device(toString());
  }

  @Override
  public String toString() {
    return cuda ? "cuda:" + index : "cpu";
  }
}
