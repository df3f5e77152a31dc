package io.ptinv.torch.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Properties;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

/**
 * Facts about the runtime, as {@code ptinv info} prints them.
 *
 * @param libtorchVersion version of the LibTorch natives (e.g. {@code 2.10.0-1.5.13})
 * @param platform JavaCPP platform (e.g. {@code linux-x86_64})
 * @param flavour {@code CUDA} when the loaded natives are LibTorch's CUDA build, else {@code CPU}
 * @param cudaAvailable whether a CUDA device can be used now
 * @param cudaStatus {@code usable, N device(s)}, or {@code not usable: } and why (CPU natives in use, the NVIDIA
 *     libraries missing from the host by name, no driver, no device)
 * @param cudaDevices number of CUDA devices
 * @param deviceName name of the default device
 * @param defaultDevice the device {@link ComputeDevice#select} picks with no choice given
 * @param defaultPrecision the default precision on that device
 * @param threads LibTorch's intra-op CPU threads
 */
public record RuntimeInfo(
    String libtorchVersion,
    String platform,
    String flavour,
    boolean cudaAvailable,
    String cudaStatus,
    int cudaDevices,
    String deviceName,
    ComputeDevice defaultDevice,
    Precision defaultPrecision,
    int threads) {

  /** Facts about the loaded LibTorch and the default device (loads the natives if needed). */
  public static RuntimeInfo collect() {
    return collect(null);
  }

  /** Facts with the device chosen as {@link ComputeDevice#select(String)} would for {@code deviceChoice}. */
  public static RuntimeInfo collect(String deviceChoice) {
    Torch.ensureLoaded();
    ComputeDevice device = ComputeDevice.select(deviceChoice);
    return new RuntimeInfo(
        readLibtorchVersion(),
        Loader.getPlatform(),
        Torch.builtWithCuda() ? "CUDA" : "CPU",
        Torch.cudaAvailable(),
        Torch.cudaUnusableReason().map(r -> "not usable: " + r)
            .orElse("usable, " + Torch.cudaDeviceCount() + " device(s)"),
        Torch.cudaDeviceCount(),
        device.cuda() ? cudaDeviceName(device.index()) : cpuName(),
        device,
        Precision.defaultFor(device),
        torch.get_num_threads());
  }

  /** The version in the pytorch jar's Maven metadata, or "unknown". */
  static String readLibtorchVersion() {
    try (InputStream in = torch.class.getResourceAsStream("/META-INF/maven/org.bytedeco/pytorch/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      }
    } catch (IOException e) {
      // fall through
    }
    return "unknown";
  }

  private static String cpuName() {
    return "CPU (" + Runtime.getRuntime().availableProcessors() + " cores)";
  }

  /** Asks the CUDA runtime through JavaCPP's cuda preset, which is present only with the CUDA natives. */
  private static String cudaDeviceName(int index) {
    try {
      Class<?> cudart = Class.forName("org.bytedeco.cuda.global.cudart");
      Class<?> propsClass = Class.forName("org.bytedeco.cuda.cudart.cudaDeviceProp");
      Object props = propsClass.getConstructor().newInstance();
      Method get = cudart.getMethod("cudaGetDeviceProperties", propsClass, int.class);
      get.invoke(null, props, index);
      Object name = propsClass.getMethod("name").invoke(props);
      return name.toString().trim();
    } catch (ReflectiveOperationException | LinkageError e) {
      return "cuda:" + index;
    }
  }
}
