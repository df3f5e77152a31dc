package io.ptinv.torch.io;

import java.util.Set;
import org.bytedeco.pytorch.Tensor;

/** Named tensors to load a module from: a safetensors file, or a view of one with renamed keys. */
public interface WeightSource {
  /** Where the weights come from, for messages (a file path). */
  String describe();

  Set<String> names();

  long[] shape(String name);

  /** A new CPU tensor for {@code name}, in the stored dtype. */
  Tensor read(String name);

  /** A diffusers-layout safetensors file as a source. */
  static WeightSource of(SafeTensorsFile file) {
    return new WeightSource() {
      @Override
      public String describe() {
        return file.path().toString();
      }

      @Override
      public Set<String> names() {
        return file.entries().keySet();
      }

      @Override
      public long[] shape(String name) {
        return file.entries().get(name).shape();
      }

      @Override
      public Tensor read(String name) {
        return file.read(name);
      }
    };
  }
}
