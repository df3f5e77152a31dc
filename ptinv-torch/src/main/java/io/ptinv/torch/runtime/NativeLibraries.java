package io.ptinv.torch.runtime;

import io.ptinv.BackendException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

/**
 * Decides, before JavaCPP loads anything, which of ptinv's own LibTorch natives to load, so that a foreign LibTorch
 * on the host is never loaded:
 *
 * <ul>
 *   <li>the CPU natives ({@code org.bytedeco:pytorch:…:linux-x86_64}) are always on the class path;
 *   <li>the CUDA natives ({@code …:linux-x86_64-gpu}, an opt-in) are used only when every NVIDIA library they need
 *       from the host ({@link #hostCudaSonames()}) can be found; otherwise the CPU natives are loaded and {@link
 *       #cudaUnusableReason()} names the missing libraries;
 *   <li>a {@code libtorch*}, {@code libc10*} or {@code libjnitorch*} file on {@code java.library.path} that the
 *       chosen natives do not provide themselves would be loaded by JavaCPP's fallback search (and crash the JVM if it
 *       is another LibTorch version): loading stops with a {@link BackendException} naming it instead.
 * </ul>
 */
final class NativeLibraries {
  /**
   * The NVIDIA libraries LibTorch's CUDA build links against: the {@code NEEDED} entries ({@code readelf -d}) of the
   * libraries in {@code pytorch-2.10.0-1.5.13-linux-x86_64-gpu.jar}. Those that JavaCPP's {@code cuda-redist} jar
   * provides (runtime, cuFFT, cuRAND, cuFile, CUPTI) come from it when it is on the class path; the rest always come
   * from the host: the CUDA 13 toolkit with cuDNN 9 and NCCL 2, or NVIDIA's CUDA 13 Python wheels' {@code lib}
   * folders on {@code LD_LIBRARY_PATH}.
   */
  static final List<String> CUDA_BUILD_SONAMES = List.of("libcudart.so.13", "libcupti.so.13", "libcufft.so.12",
      "libcurand.so.10", "libcufile.so.0", "libcublas.so.13", "libcublasLt.so.13", "libcusparse.so.12",
      "libcusolver.so.12", "libcudnn.so.9", "libcudnn_cnn.so.9", "libcudnn_adv.so.9", "libcudnn_ops.so.9",
      "libcudnn_graph.so.9", "libnccl.so.2");
  private static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
  private static final Pattern TORCH_FILE = Pattern.compile("lib(torch|c10|jnitorch)[A-Za-z0-9_]*\\.so(\\..*)?");

  private static volatile String cudaUnusableReason = "not loaded yet";
  private static volatile boolean cudaNatives;

  private NativeLibraries() {}

  /** Chooses the natives (CUDA or CPU) and refuses foreign LibTorch files; call once, before {@code Loader.load}. */
  static void prepare() {
    String platform = Loader.getPlatform();
    Set<String> cpu = bundled(platform);
    Set<String> gpu = bundled(platform + "-gpu");
    String chosenExtension = System.getProperty(EXTENSION_PROPERTY);
    if (chosenExtension == null) {
      if (gpu.isEmpty()) {
        chosenExtension = "";
        cudaUnusableReason = "the CPU natives are in use (CUDA is an opt-in: build with -Dcuda, see README)";
      } else {
        List<String> missing = missingHostLibraries();
        if (missing.isEmpty()) {
          chosenExtension = "-gpu";
          cudaUnusableReason = null;
        } else if (!cpu.isEmpty()) {
          chosenExtension = "";
          cudaUnusableReason = "the CUDA natives need " + String.join(", ", missing) + " from the host (not found on "
              + "LD_LIBRARY_PATH or in the ld.so cache); the CPU natives are in use";
          org.slf4j.LoggerFactory.getLogger(Torch.class).warn("CUDA disabled: {}", cudaUnusableReason);
        } else {
          throw new BackendException("the CUDA natives need " + String.join(", ", missing) + " from the host, which are"
              + " not found (LD_LIBRARY_PATH, ld.so cache), and the CPU natives are not on the class path; install the"
              + " CUDA 13 toolkit with cuDNN 9 and NCCL 2, or put NVIDIA's CUDA 13 wheels' lib folders on LD_LIBRARY_PATH");
        }
      }
      System.setProperty(EXTENSION_PROPERTY, chosenExtension);
    }
    cudaNatives = "-gpu".equals(chosenExtension);
    Set<String> own = cudaNatives ? union(gpu, cpu) : cpu;
    refuseForeign(own);
  }

  /** Why CUDA cannot be used, or null when the CUDA natives were chosen. */
  static String cudaUnusableReason() {
    return cudaUnusableReason;
  }

  /** Whether LibTorch's CUDA build was chosen (and, after loading, loaded), whether or not a GPU is usable. */
  static boolean cudaNatives() {
    return cudaNatives;
  }

  /**
   * After loading: record why CUDA is unusable although its natives loaded. Without a device LibTorch's CUDA build
   * reports no CUDA at all ({@code hasCUDA()} is false), so the driver library decides which reason it is.
   */
  static void afterLoad() {
    if (cudaUnusableReason == null && !torch.cuda_is_available()) {
      cudaUnusableReason = hostHas("libcuda.so.1")
          ? "the CUDA natives are loaded but CUDA reports: " + cudaError()
          : "the CUDA natives are loaded but there is no NVIDIA driver (libcuda.so.1 not found)";
    }
  }

  /** CUDA's own words for why no device can be used (an old driver, no device visible), first line only. */
  private static String cudaError() {
    try {
      org.bytedeco.pytorch.global.torch_cuda.device_count_ensure_non_zero();
      return "no usable NVIDIA GPU";
    } catch (RuntimeException e) {
      String m = String.valueOf(e.getMessage()).strip();
      return m.isEmpty() ? "no usable NVIDIA GPU" : m.lines().findFirst().orElse(m);
    } catch (LinkageError e) {
      return "no usable NVIDIA GPU (" + e.getMessage() + ")";
    }
  }

  private static boolean hostHas(String soname) {
    return missing(List.of(soname)).isEmpty();
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return out;
  }

  /** File names under {@code org/bytedeco/pytorch/DIR/} in the natives jar on the class path (empty if absent). */
  static Set<String> bundled(String dir) {
    return bundled("pytorch", dir);
  }

  /** File names under {@code org/bytedeco/PRESET/DIR/} on the class path, in a jar or a folder (empty if absent). */
  static Set<String> bundled(String preset, String dir) {
    String prefix = "org/bytedeco/" + preset + "/" + dir + "/";
    return filesUnder(torch.class.getResource("/" + prefix), prefix);
  }

  /** File names directly under {@code url}, a {@code jar:} or {@code file:} resource folder {@code prefix}. */
  static Set<String> filesUnder(java.net.URL url, String prefix) {
    Set<String> names = new LinkedHashSet<>();
    if (url == null) {
      return names;
    }
    try {
      if (url.getProtocol().equals("jar")) {
        String spec = url.getPath();
        String jarPath = spec.substring("file:".length(), spec.indexOf("!/"));
        try (var jar = new java.util.jar.JarFile(java.net.URLDecoder.decode(jarPath, StandardCharsets.UTF_8))) {
          jar.stream().map(java.util.zip.ZipEntry::getName)
              .filter(n -> n.startsWith(prefix) && n.length() > prefix.length() && n.indexOf('/', prefix.length()) < 0)
              .forEach(n -> names.add(n.substring(prefix.length())));
        }
      } else if (url.getProtocol().equals("file")) {
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
          files.forEach(p -> names.add(p.getFileName().toString()));
        }
      }
    } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
      // unreadable: treated as absent
    }
    return names;
  }

  private static void refuseForeign(Set<String> own) {
    String path = System.getProperty("java.library.path", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      File[] files = new File(dir).listFiles();
      if (files == null) {
        continue;
      }
      for (File f : files) {
        String name = f.getName();
        if (TORCH_FILE.matcher(name).matches() && !own.contains(name)) {
          throw new BackendException("java.library.path holds a LibTorch library that is not ptinv's own: " + f
              + "; JavaCPP would load it in place of the missing " + name + " and mix two LibTorch builds. Remove "
              + dir + " from java.library.path (or -Djava.library.path=) for ptinv's JVM");
        }
      }
    }
  }

  /**
   * The libraries of {@link #CUDA_BUILD_SONAMES} that the host must provide: all but those a {@code cuda-redist} jar
   * on the class path ships ({@code org/bytedeco/cuda/PLATFORM/}).
   */
  static List<String> hostCudaSonames() {
    return hostCudaSonames(bundled("cuda", Loader.getPlatform()));
  }

  /** {@link #CUDA_BUILD_SONAMES} less the files {@code redist} (a cuda-redist jar's natives) provides. */
  static List<String> hostCudaSonames(Set<String> redist) {
    return CUDA_BUILD_SONAMES.stream().filter(n -> !redist.contains(n)).toList();
  }

  /** The host CUDA libraries that cannot be found on LD_LIBRARY_PATH or in the ld.so cache. */
  static List<String> missingHostLibraries() {
    return missing(hostCudaSonames());
  }

  /** Those of {@code sonames} that cannot be found on LD_LIBRARY_PATH or in the ld.so cache. */
  private static List<String> missing(List<String> sonames) {
    Set<String> found = new LinkedHashSet<>(ldCache());
    String ld = System.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      for (String dir : ld.split(File.pathSeparator)) {
        File[] files = dir.isBlank() ? null : new File(dir).listFiles();
        if (files != null) {
          for (File f : files) {
            found.add(f.getName());
          }
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (String soname : sonames) {
      if (!found.contains(soname)) {
        missing.add(soname);
      }
    }
    return missing;
  }

  /** Sonames in the dynamic linker's cache ({@code ldconfig -p}); empty where it cannot be read. */
  private static Set<String> ldCache() {
    Set<String> names = new LinkedHashSet<>();
    for (String ldconfig : new String[] {"/sbin/ldconfig", "/usr/sbin/ldconfig"}) {
      if (!Files.isExecutable(Path.of(ldconfig))) {
        continue;
      }
      try {
        Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
        try (InputStream in = p.getInputStream()) {
          String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          for (String line : out.split("\n")) {
            String t = line.trim();
            int space = t.indexOf(' ');
            if (t.startsWith("lib") && space > 0) {
              names.add(t.substring(0, space));
            }
          }
        }
        p.waitFor(10, TimeUnit.SECONDS);
        return names;
      } catch (IOException e) {
        // try the next location
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return names;
      }
    }
    return names;
  }
}
