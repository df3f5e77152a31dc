package io.ptinv.torch.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ptinv.BackendException;
import io.ptinv.InvalidInputException;
import org.junit.jupiter.api.Test;

class ComputeDeviceTest {

  @Test
  void parsesNames() {
    assertThat(ComputeDevice.parse("cpu")).isEqualTo(ComputeDevice.CPU);
    assertThat(ComputeDevice.parse("CUDA")).isEqualTo(new ComputeDevice(true, 0));
    assertThat(ComputeDevice.parse("cuda:2")).isEqualTo(new ComputeDevice(true, 2));
    assertThatThrownBy(() -> ComputeDevice.parse("tpu"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("device")
        .hasMessageContaining("tpu");
  }

  @Test
  void autoFallsBackToCpuWithoutCuda() {
    ComputeDevice auto = ComputeDevice.select(null);
    assertThat(auto.cuda()).isEqualTo(Torch.cudaAvailable());
    assertThat(ComputeDevice.select("cpu")).isEqualTo(ComputeDevice.CPU);
  }

  @Test
  void missingCudaDeviceIsATypedError() {
    assertThatThrownBy(() -> ComputeDevice.select("cuda:" + (Torch.cudaDeviceCount() + 3)))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("cuda:");
  }

  @Test
  void fp16NeedsCudaAndBf16RunsEverywhere() {
    assertThat(Precision.parse("bf16")).isEqualTo(Precision.BF16);
    Precision.BF16.checkSupportedOn(ComputeDevice.CPU); // LibTorch's CPU kernels take bfloat16
    Precision.FP32.checkSupportedOn(ComputeDevice.CPU);
    assertThatThrownBy(() -> Precision.FP16.checkSupportedOn(ComputeDevice.CPU))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("precision");
    assertThatThrownBy(() -> Precision.parse("fp8")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void runtimeInfoDescribesTheNatives() {
    RuntimeInfo info = RuntimeInfo.collect();
    assertThat(info.libtorchVersion()).startsWith("2.10.0");
    assertThat(info.flavour()).isEqualTo(NativeLibraries.cudaNatives() ? "CUDA" : "CPU");
    if (org.bytedeco.pytorch.global.torch.hasCUDA()) {
      assertThat(info.flavour()).isEqualTo("CUDA");
    }
    if (info.cudaAvailable()) {
      assertThat(info.cudaStatus()).startsWith("usable, ");
    } else {
      assertThat(info.cudaStatus()).startsWith("not usable: ");
    }
    if (NativeLibraries.bundled(info.platform() + "-gpu").isEmpty()) {
      // the default dependency set: CPU natives only, and info says so rather than "CUDA"
      assertThat(info.flavour()).isEqualTo("CPU");
      assertThat(info.cudaStatus()).contains("the CPU natives are in use").contains("-Dcuda");
    }
    assertThat(info.threads()).isPositive();
    assertThat(info.defaultPrecision()).isEqualTo(Precision.FP32);
  }
}
