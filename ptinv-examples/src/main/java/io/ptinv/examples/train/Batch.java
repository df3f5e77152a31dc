package io.ptinv.examples.train;

import io.ptinv.examples.shapes.ShapeSample;
import io.ptinv.examples.shapes.ShapesDataset;
import io.ptinv.torch.runtime.ImageTensors;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * A training batch of the shapes world: images {@code [B, 3, 64, 64]} in [-1, 1] and their captions.
 * Batch {@code step} is always samples {@code step * B .. step * B + B - 1} of the dataset, so a resumed run
 * sees the same data as an uninterrupted one.
 */
record Batch(Tensor images, List<String> captions) {

  static Batch of(ShapesDataset data, long step, int size) {
    List<Tensor> images = new ArrayList<>(size);
    List<String> captions = new ArrayList<>(size);
    for (int k = 0; k < size; k++) {
      ShapeSample s = data.sample(step * size + k);
      captions.add(s.caption());
      images.add(ImageTensors.toTensor(s.image()));
    }
    return new Batch(torch.cat(new TensorVector(images.toArray(new Tensor[0])), 0), captions);
  }
}
