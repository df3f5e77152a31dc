package io.ptinv.torch.io;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.bytedeco.pytorch.Tensor;

/**
 * A view of a single-file checkpoint under diffusers names. Built from the diffusers names a module asks
 * for and a function giving each one's candidate checkpoint names; the checkpoint's keys under {@code
 * prefix} that no parameter maps to stay visible under their own names, so that the loader reports them
 * as unexpected.
 */
public final class RenamedSource implements WeightSource {
  private final SafeTensorsFile file;
  private final Map<String, String> toStored = new LinkedHashMap<>();
  private final Set<String> names = new LinkedHashSet<>();

  public RenamedSource(
      SafeTensorsFile file, String prefix, Collection<String> wanted, Function<String, List<String>> candidates) {
    this.file = file;
    Set<String> mapped = new LinkedHashSet<>();
    for (String name : wanted) {
      for (String stored : candidates.apply(name)) {
        if (file.contains(stored)) {
          toStored.put(name, stored);
          mapped.add(stored);
          break;
        }
      }
    }
    names.addAll(toStored.keySet());
    for (String key : file.entries().keySet()) {
      if (key.startsWith(prefix) && !mapped.contains(key)) {
        names.add(key);
        toStored.put(key, key);
      }
    }
  }

  @Override
  public String describe() {
    return file.path().toString();
  }

  @Override
  public Set<String> names() {
    return names;
  }

  @Override
  public long[] shape(String name) {
    return file.entries().get(toStored.get(name)).shape();
  }

  @Override
  public Tensor read(String name) {
    return file.read(toStored.get(name));
  }
}
