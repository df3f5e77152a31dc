package io.ptinv.torch.runtime;

import io.ptinv.InvalidInputException;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;

/**
 * {@link BufferedImage} to and from {@code [1, 3, H, W]} float tensors in [-1, 1], the VAE's input range:
 * {@code x = p / 127.5 - 1} and back {@code p = round((x + 1) * 127.5)} clamped to [0, 255], which is
 * lossless for 8-bit RGB.
 */
public final class ImageTensors {
  private ImageTensors() {}

  /** The image as a {@code [1, 3, H, W]} float tensor in [-1, 1] on the CPU (alpha ignored). */
  public static Tensor toTensor(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    float[] chw = new float[3 * w * h];
    int plane = w * h;
    for (int i = 0; i < plane; i++) {
      int p = argb[i];
      chw[i] = ((p >> 16) & 0xFF) / 127.5f - 1f;
      chw[plane + i] = ((p >> 8) & 0xFF) / 127.5f - 1f;
      chw[2 * plane + i] = (p & 0xFF) / 127.5f - 1f;
    }
    return Tensors.fromFloats(chw, 1, 3, h, w);
  }

  /**
   * A {@code [1, 3, H, W]} tensor in [-1, 1] (any device or float type) as an 8-bit RGB image.
   *
   * @throws io.ptinv.InvalidInputException if the tensor is not one RGB image
   */
  public static BufferedImage toImage(Tensor tensor) {
    long[] shape = tensor.shape();
    InvalidInputException.check(
        shape.length == 4 && shape[0] == 1 && shape[1] == 3,
        "image tensor",
        "shape [1, 3, H, W]",
        Arrays.toString(shape));
    int h = (int) shape[2];
    int w = (int) shape[3];
    float[] chw = Tensors.toFloats(tensor);
    int plane = w * h;
    int[] argb = new int[plane];
    for (int i = 0; i < plane; i++) {
      argb[i] = (toByte(chw[i]) << 16) | (toByte(chw[plane + i]) << 8) | toByte(chw[2 * plane + i]);
    }
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, w, h, argb, 0, w);
    return image;
  }

  private static int toByte(float x) {
    if (Float.isNaN(x)) {
      return 0;
    }
    return Math.max(0, Math.min(255, Math.round((x + 1f) * 127.5f)));
  }
}
