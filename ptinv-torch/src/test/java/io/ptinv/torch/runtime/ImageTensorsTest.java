package io.ptinv.torch.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ptinv.InvalidInputException;
import io.ptinv.image.Images;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTensorsTest {
  @TempDir Path dir;

  @Test
  void pngToTensorToPngIsLossless() {
    Random r = new Random(5);
    BufferedImage img = new BufferedImage(40, 24, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 40; x++) {
        img.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    img.setRGB(0, 0, 0x000000);
    img.setRGB(1, 0, 0xFFFFFF);
    Path f = dir.resolve("in.png");
    Images.write(img, f);
    try (PointerScope scope = new PointerScope()) {
      Tensor t = ImageTensors.toTensor(Images.read(f));
      assertThat(t.shape()).containsExactly(1, 3, 24, 40);
      float[] v = Tensors.toFloats(t);
      assertThat(v[0]).isEqualTo(-1f); // black -> -1
      assertThat(v[1]).isEqualTo(1f); // white -> +1
      Path out = dir.resolve("out.png");
      Images.write(ImageTensors.toImage(t), out);
      BufferedImage back = Images.read(out);
      for (int y = 0; y < 24; y++) {
        for (int x = 0; x < 40; x++) {
          assertThat(back.getRGB(x, y)).isEqualTo(img.getRGB(x, y));
        }
      }
    }
  }

  @Test
  void wrongShapeIsRejected() {
    try (PointerScope scope = new PointerScope()) {
      Tensor t = Tensors.fromFloats(new float[16], 1, 4, 2, 2);
      assertThatThrownBy(() -> ImageTensors.toImage(t))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("[1, 3, H, W]");
    }
  }
}
