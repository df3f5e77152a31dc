package io.ptinv.torch.runtime;

import io.ptinv.BackendException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

/**
 * Loads ptinv's own LibTorch natives once per JVM: the CPU build by default, the CUDA build when it is on the class
 * path and the host has the NVIDIA libraries it needs, never a foreign LibTorch (see {@link NativeLibraries}). On
 * first use JavaCPP extracts them to {@code ~/.javacpp/cache} (CPU build: about 450 MB, a few seconds; later starts
 * take under a second). JavaCPP's own log lines go to SLF4J unless {@code org.bytedeco.javacpp.logger} is set
 * otherwise.
 */
public final class Torch {
  private static volatile boolean loaded;

  private Torch() {}

  /** Loads the natives if they are not loaded yet; throws {@link BackendException} if they cannot be. */
  public static void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (Torch.class) {
      if (loaded) {
        return;
      }
      if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
        System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
      }
      try {
        NativeLibraries.prepare();
        Loader.load(torch.class);
        NativeLibraries.afterLoad();
        configureBlasThreads();
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        throw new BackendException(
            "cannot load LibTorch natives for platform " + Loader.getPlatform() + ": " + e.getMessage(), e);
      }
      loaded = true;
    }
  }

  /** System property: OpenBLAS threads (default 1, see {@link #configureBlasThreads()}). */
  public static final String BLAS_THREADS_PROPERTY = "ptinv.blas.threads";

  /**
   * LibTorch's CPU matmuls go to OpenBLAS, whose own worker threads spin after each call and then fight
   * LibTorch's OpenMP threads for the cores: on 2 cores a [512, 32] x [32, 256] matmul followed by an add
   * took 7.8 ms instead of 0.15 ms. With one OpenBLAS thread (the default here) LibTorch's intra-op
   * threads do the parallel work; set {@value #BLAS_THREADS_PROPERTY} to change it.
   */
  private static void configureBlasThreads() {
    int threads = Integer.getInteger(BLAS_THREADS_PROPERTY, 1);
    try {
      org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
    } catch (LinkageError e) {
      // another BLAS (e.g. MKL on other platforms) without this entry point: leave it as it is
    }
  }

  /**
   * Whether the loaded natives are LibTorch's CUDA build (an opt-in; the CPU build is the default), whether or not a
   * GPU is usable: see {@link #cudaAvailable()}.
   */
  public static boolean builtWithCuda() {
    ensureLoaded();
    return NativeLibraries.cudaNatives();
  }

  /**
   * Why CUDA cannot be used in this JVM (the CPU natives are in use, host libraries are missing, no driver or no
   * device), or empty when it can.
   */
  public static java.util.Optional<String> cudaUnusableReason() {
    ensureLoaded();
    return java.util.Optional.ofNullable(NativeLibraries.cudaUnusableReason());
  }

  /** Whether a CUDA device can be used now. */
  public static boolean cudaAvailable() {
    ensureLoaded();
    return torch.cuda_is_available();
  }

  /** CUDA devices LibTorch sees; 0 when CUDA is not usable. */
  public static int cudaDeviceCount() {
    ensureLoaded();
    return torch.cuda_is_available() ? torch.cuda_device_count() : 0;
  }

  /** Seeds LibTorch's CPU and CUDA generators. */
  public static void manualSeed(long seed) {
    ensureLoaded();
    torch.manual_seed(seed);
    if (torch.cuda_is_available()) {
      torch.cuda_manual_seed_all(seed);
    }
  }
}
