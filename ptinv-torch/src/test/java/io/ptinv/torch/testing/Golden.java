package io.ptinv.torch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.torch.io.SafeTensorsFile;
import io.ptinv.torch.runtime.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.Tensor;

/** Access to {@code ../shared/golden} (system property {@code ptinv.golden.dir}) for parity tests. */
public final class Golden {
  private Golden() {}

  public static Path dir() {
    String prop = System.getProperty("ptinv.golden.dir", "../../shared/golden");
    Path dir = Path.of(prop).toAbsolutePath().normalize();
    assertThat(Files.isDirectory(dir))
        .as("golden reference folder %s (set -Dptinv.golden.dir); it ships beside the checkout as ../shared/golden", dir)
        .isTrue();
    return dir;
  }

  public static Path tinyModel() {
    return dir().resolve("tiny-sd");
  }

  public static SafeTensorsFile reference() {
    return SafeTensorsFile.open(dir().resolve("tiny-sd.reference.safetensors"));
  }

  /** Max absolute difference. */
  public static double maxAbs(Tensor a, Tensor b) {
    float[] x = Tensors.toFloats(a);
    float[] y = Tensors.toFloats(b);
    assertThat(x.length).isEqualTo(y.length);
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs((double) x[i] - y[i]));
    }
    return m;
  }

  /** Relative L2 error ||a - b|| / ||b||. */
  public static double relL2(Tensor a, Tensor b) {
    float[] x = Tensors.toFloats(a);
    float[] y = Tensors.toFloats(b);
    double num = 0;
    double den = 0;
    for (int i = 0; i < x.length; i++) {
      double d = (double) x[i] - y[i];
      num += d * d;
      den += (double) y[i] * y[i];
    }
    return Math.sqrt(num / Math.max(den, 1e-30));
  }
}
