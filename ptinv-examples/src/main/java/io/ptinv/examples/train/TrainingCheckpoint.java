package io.ptinv.examples.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.files.OutputFiles;
import io.ptinv.torch.io.SafeTensorsFile;
import io.ptinv.torch.io.SafeTensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Tensor;

/**
 * A training checkpoint folder: weight files (safetensors, fp32), one AdamW state per phase
 * ({@code optimizer-PHASE.pt}) and {@code state.json}. Every file is written to a temporary name and moved
 * into place, {@code state.json} last, so an interrupted write leaves the previous checkpoint usable.
 */
final class TrainingCheckpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  TrainingCheckpoint(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** The saved state, or null when there is no checkpoint. */
  @SuppressWarnings("unchecked")
  Map<String, Object> state() {
    Path file = dir.resolve("state.json");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JSON.readValue(file.toFile(), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + file, e);
    }
  }

  /** An integer field of {@code state}, or {@code fallback} when absent. */
  static int intField(Map<String, Object> state, String key, int fallback) {
    Object v = state.get(key);
    return v instanceof Number n ? n.intValue() : fallback;
  }

  boolean has(String file) {
    return Files.isRegularFile(dir.resolve(file));
  }

  /** Writes {@code weights} by file name, the optimiser state of {@code phase}, then {@code state}. */
  void write(Map<String, Map<String, Tensor>> weights, String phase, AdamW opt, Map<String, Object> state) {
    try {
      Files.createDirectories(dir);
      weights.forEach((file, named) -> SafeTensorsWriter.write(dir.resolve(file), named, Map.of()));
      OutputArchive out = new OutputArchive();
      opt.save(out);
      Path tmp = dir.resolve("optimizer-" + phase + ".pt.tmp");
      out.save_to(tmp.toString());
      OutputFiles.moveAtomically(tmp, dir.resolve("optimizer-" + phase + ".pt"));
      Path json = dir.resolve("state.json.tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), state);
      OutputFiles.moveAtomically(json, dir.resolve("state.json"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint in " + dir, e);
    }
  }

  /** Restores {@code phase}'s AdamW state into {@code opt} if the checkpoint has one. */
  void restoreOptimizer(String phase, AdamW opt) {
    Path file = dir.resolve("optimizer-" + phase + ".pt");
    if (Files.isRegularFile(file)) {
      InputArchive in = new InputArchive();
      in.load_from(file.toString());
      opt.load(in);
    }
  }

  /** Copies the tensors of {@code file} (in this folder) into {@code named}, by name. */
  void restore(Map<String, Tensor> named, String file) {
    copyInto(named, dir.resolve(file));
  }

  /** Copies the tensors of a safetensors file into {@code named}, by name. */
  static void copyInto(Map<String, Tensor> named, Path file) {
    try (SafeTensorsFile f = SafeTensorsFile.open(file); PointerScope scope = new PointerScope();
        NoGradGuard g = new NoGradGuard()) {
      for (Map.Entry<String, Tensor> e : named.entrySet()) {
        e.getValue().copy_(f.read(e.getKey()));
      }
    }
  }

  /** Deletes these files of the checkpoint, where present. */
  void delete(String... files) {
    try {
      for (String f : files) {
        Files.deleteIfExists(dir.resolve(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean checkpoint " + dir, e);
    }
  }
}
