package io.ptinv.torch.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which NVIDIA libraries the CUDA natives need from the host, with and without JavaCPP's cuda-redist jar. */
class NativeLibrariesTest {
  /** The natives of cuda-redist-13.1-9.19-1.5.13-linux-x86_64.jar that the CUDA build links against, and others. */
  private static final Set<String> CUDA_REDIST = Set.of("libcudart.so.13", "libcufft.so.12", "libcufftw.so.12",
      "libcurand.so.10", "libnvrtc.so.13", "libnvJitLink.so.13", "libnvjpeg.so.13", "libcupti.so.13",
      "libcufile.so.0", "libcufile_rdma.so.1", "libjnicudart.so");

  @Test
  void withCudaRedistTheHostGivesTheTenLibrariesTheReadmeNames() {
    assertThat(NativeLibraries.hostCudaSonames(CUDA_REDIST)).containsExactly("libcublas.so.13", "libcublasLt.so.13",
        "libcusparse.so.12", "libcusolver.so.12", "libcudnn.so.9", "libcudnn_cnn.so.9", "libcudnn_adv.so.9",
        "libcudnn_ops.so.9", "libcudnn_graph.so.9", "libnccl.so.2");
  }

  @Test
  void withoutCudaRedistTheHostAlsoGivesTheRuntimeLibraries() {
    assertThat(NativeLibraries.hostCudaSonames(Set.of())).isEqualTo(NativeLibraries.CUDA_BUILD_SONAMES)
        .contains("libcudart.so.13", "libcufft.so.12", "libcurand.so.10", "libcufile.so.0", "libcupti.so.13");
    // the default test class path has no cuda-redist jar
    assertThat(NativeLibraries.hostCudaSonames()).isEqualTo(NativeLibraries.CUDA_BUILD_SONAMES);
  }

  @Test
  void filesUnderAResourceFolderInAJarOrADirectory(@TempDir Path dir) throws Exception {
    String prefix = "org/bytedeco/cuda/linux-x86_64/";
    Path jar = dir.resolve("redist.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String name : new String[] {prefix, prefix + "libcudart.so.13", prefix + "libcufft.so.12",
          prefix + "nested/libx.so", "org/bytedeco/cuda/other.txt"}) {
        out.putNextEntry(new JarEntry(name));
        out.closeEntry();
      }
    }
    assertThat(NativeLibraries.filesUnder(new URL("jar:" + jar.toUri() + "!/" + prefix), prefix))
        .containsExactlyInAnyOrder("libcudart.so.13", "libcufft.so.12");

    Path folder = Files.createDirectories(dir.resolve("classes").resolve(prefix));
    Files.createFile(folder.resolve("libcurand.so.10"));
    try (OutputStream o = Files.newOutputStream(folder.resolve("libcupti.so.13"))) {
      o.write(1);
    }
    assertThat(NativeLibraries.filesUnder(folder.toUri().toURL(), prefix))
        .containsExactlyInAnyOrder("libcurand.so.10", "libcupti.so.13");
    assertThat(NativeLibraries.filesUnder(null, prefix)).isEmpty();
  }
}
