package io.ptinv.torch.inversion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.InvalidInputException;
import io.ptinv.files.InputFiles;
import io.ptinv.InversionOptions;
import io.ptinv.ModelLoadException;
import io.ptinv.Schedule;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.io.SafeTensorsFile;
import io.ptinv.torch.io.SafeTensorsWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Saves and loads a {@link TorchTrajectory} as one safetensors file: tensors {@code latents [T+1, C, h, w]},
 * {@code cond [T, 77, D]} (or {@code [T, L, 77, D]} for one embedding per cross-attention layer, TODInv's extended
 * space), {@code uncond [T, 77, D]} (float32), and {@code __metadata__} with the format version, the model's
 * identity, the schedule, the options (JSON), the prompt and the layer count. Format version 2 added the per-layer
 * form; version 1 files (always one layer) still load. Loading checks that the file was made by the same model with
 * the same schedule. Writes are atomic.
 */
public final class TrajectoryFiles {
  /** The {@code format} entry of a trajectory file's metadata. */
  public static final String FORMAT = "ptinv-trajectory";
  /** The format version this class writes. */
  public static final String VERSION = "2";
  /** Versions this class reads. */
  static final java.util.Set<String> READABLE = java.util.Set.of("1", "2");
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrajectoryFiles() {}

  /**
   * Writes {@code t} to {@code file} atomically (a temporary file beside it, then a move).
   *
   * @throws java.io.UncheckedIOException when the file cannot be written
   */
  public static void save(TorchTrajectory t, Path file) {
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      int n = t.steps();
      List<Tensor> latents = new ArrayList<>();
      List<Tensor> cond = new ArrayList<>();
      List<Tensor> uncond = new ArrayList<>();
      for (int i = 0; i <= n; i++) {
        latents.add(t.latentTensor(i));
      }
      for (int i = 0; i < n; i++) {
        cond.add(t.condTensor(i));
        uncond.add(t.uncondTensor(i));
      }
      tensors.put("latents", stack(latents));
      Tensor condStack = t.layers() == 1 ? stack(cond) : torch.stack(new TensorVector(cond.toArray(new Tensor[0])), 0)
          .to(torch.ScalarType.Float);
      tensors.put("cond", condStack);
      tensors.put("uncond", stack(uncond));
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("format", FORMAT);
      meta.put("version", VERSION);
      meta.put("model_id", t.modelId());
      meta.put("schedule", scheduleString(t.schedule()));
      meta.put("method", t.options().method().name());
      meta.put("steps", Integer.toString(n));
      meta.put("guidance_scale", Double.toString(t.options().guidanceScale()));
      meta.put("prompt", t.prompt());
      meta.put("layers", Integer.toString(t.layers()));
      meta.put("options", JSON.writeValueAsString(t.options()));
      SafeTensorsWriter.write(file, tensors, meta);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise options", e);
    }
  }

  private static Tensor stack(List<Tensor> parts) {
    return torch.cat(new TensorVector(parts.toArray(new Tensor[0])), 0).to(torch.ScalarType.Float);
  }

  private static String scheduleString(Schedule s) {
    return s.trainTimesteps() + "," + s.betaStart() + "," + s.betaEnd() + "," + s.betaSchedule() + "," + s.stepsOffset()
        + "," + s.setAlphaToOne();
  }

  /**
   * Loads a trajectory for {@code model}: the tensors go to the model's device and precision.
   *
   * @throws ModelLoadException if the file is not a readable ptinv trajectory
   * @throws InvalidInputException if it was made by another model or with another schedule
   */
  public static TorchTrajectory load(Path file, StableDiffusion model) {
    InputFiles.checkRegularFile(file, "trajectory", "a trajectory file");
    try (SafeTensorsFile f = SafeTensorsFile.open(file); PointerScope scope = new PointerScope()) {
      Map<String, String> meta = checkedMetadata(file, f);
      InvalidInputException.check(model.modelId().equals(meta.get("model_id")), "trajectory",
          "a trajectory made with model " + model.modelId() + " (" + model.source() + ")",
          file + " made with model " + meta.get("model_id"));
      InvalidInputException.check(scheduleString(model.schedule()).equals(meta.get("schedule")), "trajectory",
          "the model's schedule " + scheduleString(model.schedule()), meta.get("schedule"));
      InversionOptions options = readOptions(file, meta);
      int n = options.steps();
      Tensor latents = read(f, "latents", n + 1, model, model.precision().scalarType());
      // embeddings stay fp32 (tuned ones are, whatever the model's precision: see PerTimestepTuning)
      Tensor cond = read(f, "cond", n, model, torch.ScalarType.Float);
      int layers = cond.dim() == 4 ? (int) cond.size(1) : 1;
      if (layers > 1 && layers != model.unet().crossAttentionLayers().size()) {
        throw new ModelLoadException(file + ": trajectory has embeddings for " + layers + " cross-attention layers, the"
            + " model has " + model.unet().crossAttentionLayers().size());
      }
      Tensor uncond = read(f, "uncond", n, model, torch.ScalarType.Float);
      return new TorchTrajectory(model.schedule(), options, meta.getOrDefault("prompt", ""), meta.get("model_id"),
          split(latents), cond.dim() == 4 ? rows(cond) : split(cond), split(uncond));
    }
  }

  /**
   * The inversion options a trajectory file was made with, read from its header alone (no model, no tensors): to
   * check a command's settings against the file before loading anything.
   *
   * @throws InvalidInputException if the file is missing or a directory
   * @throws ModelLoadException if it is not a readable ptinv trajectory
   */
  public static InversionOptions readOptions(Path file) {
    InputFiles.checkRegularFile(file, "trajectory", "a trajectory file");
    try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
      return readOptions(file, checkedMetadata(file, f));
    }
  }

  private static Map<String, String> checkedMetadata(Path file, SafeTensorsFile f) {
    Map<String, String> meta = f.metadata();
    if (!FORMAT.equals(meta.get("format"))) {
      throw new ModelLoadException(file + ": not a ptinv trajectory (metadata format is " + meta.get("format") + ")");
    }
    if (!READABLE.contains(meta.get("version"))) {
      throw new ModelLoadException(file + ": trajectory format version " + meta.get("version") + " is not supported (this"
          + " ptinv reads versions " + new java.util.TreeSet<>(READABLE) + ")");
    }
    return meta;
  }

  private static InversionOptions readOptions(Path file, Map<String, String> meta) {
    try {
      return JSON.readValue(meta.get("options"), InversionOptions.class);
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException | io.ptinv.PtinvException e) {
      throw new ModelLoadException(file + ": unreadable options in the trajectory metadata: " + e.getMessage(), e);
    }
  }

  private static Tensor read(SafeTensorsFile f, String name, int rows, StableDiffusion model, torch.ScalarType dtype) {
    if (!f.contains(name)) {
      throw new ModelLoadException(f.path() + ": trajectory has no tensor '" + name + "'");
    }
    long[] shape = f.entries().get(name).shape();
    if (shape.length < 2 || shape[0] != rows) {
      throw new ModelLoadException(f.path() + ": tensor '" + name + "' has shape " + Arrays.toString(shape) + ", expected "
          + rows + " rows");
    }
    return f.read(name).to(model.device().toTorch(), dtype);
  }

  /** {@code [T, L, 77, D]} to T tensors {@code [L, 77, D]}. */
  private static List<Tensor> rows(Tensor stacked) {
    List<Tensor> out = new ArrayList<>();
    for (int i = 0; i < stacked.size(0); i++) {
      out.add(stacked.select(0, i).contiguous());
    }
    return out;
  }

  private static List<Tensor> split(Tensor stacked) {
    List<Tensor> out = new ArrayList<>();
    for (int i = 0; i < stacked.size(0); i++) {
      out.add(stacked.narrow(0, i, 1).contiguous());
    }
    return out;
  }
}
