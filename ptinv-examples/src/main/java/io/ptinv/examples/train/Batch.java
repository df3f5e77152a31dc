package io.ptinv.examples.train;

import io.ptinv.examples.shapes.ShapeSample;
import io.ptinv.examples.shapes.ShapesDataset;
import io.ptinv.torch.runtime.Tensors;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * A training batch of the shapes world: images {@code [B, 3, 64, 64]} in [-1, 1] and their captions.
 * Batch {@code step} is always samples {@code step * B .. step * B + B - 1} of the dataset, so a resumed run
 * sees the same data as an uninterrupted one.
 */
record Batch(Tensor images, List<String> captions) {

  static Batch of(ShapesDataset data, long step, int size) {
    int side = ShapesDataset.SIZE;
    int plane = side * side;
    float[] chw = new float[size * 3 * plane];
    List<String> captions = new ArrayList<>(size);
    for (int k = 0; k < size; k++) {
      ShapeSample s = data.sample(step * size + k);
      captions.add(s.caption());
      BufferedImage img = s.image();
      int[] argb = img.getRGB(0, 0, side, side, null, 0, side);
      int base = k * 3 * plane;
      for (int i = 0; i < plane; i++) {
        int p = argb[i];
        chw[base + i] = ((p >> 16) & 0xFF) / 127.5f - 1f;
        chw[base + plane + i] = ((p >> 8) & 0xFF) / 127.5f - 1f;
        chw[base + 2 * plane + i] = (p & 0xFF) / 127.5f - 1f;
      }
    }
    return new Batch(Tensors.fromFloats(chw, size, 3, side, side), captions);
  }
}
