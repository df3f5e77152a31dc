package io.ptinv.torch.runtime;

import java.util.OptionalLong;
import org.bytedeco.pytorch.global.torch_cuda;

/**
 * Readings of LibTorch's CUDA caching allocator (what {@code torch.cuda.max_memory_allocated} reports in Python):
 * the peak of allocated bytes since the last reset, and a device synchronisation for timings. Empty or a no-op for
 * the CPU, and where the CUDA natives cannot answer (the CPU build of LibTorch).
 */
public final class GpuMemory {
  private GpuMemory() {}

  /**
   * @param device the device
   * @return the peak bytes allocated on a CUDA device since the last {@link #resetPeak}, or empty
   */
  public static OptionalLong peakAllocatedBytes(ComputeDevice device) {
    if (!device.cuda()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(torch_cuda.getAllocator().getDeviceStats((byte) device.index()).allocated_bytes().peak());
    } catch (RuntimeException | LinkageError e) {
      return OptionalLong.empty();
    }
  }

  /** Resets the CUDA allocator's peak statistics of {@code device}; nothing for the CPU. */
  public static void resetPeak(ComputeDevice device) {
    if (device.cuda()) {
      try {
        torch_cuda.getAllocator().resetPeakStats((byte) device.index());
      } catch (RuntimeException | LinkageError e) {
        // no CUDA natives to ask: peakAllocatedBytes says so by being empty
      }
    }
  }

  /** Waits for the queued work of every CUDA stream (timings end here); nothing for the CPU. */
  public static void synchronize(ComputeDevice device) {
    if (device.cuda()) {
      torch_cuda.device_synchronize();
    }
  }
}
