package io.ptinv.torch.inversion;

import io.ptinv.EmbeddingTrajectory;
import io.ptinv.InvalidInputException;
import io.ptinv.InversionOptions;
import io.ptinv.Schedule;
import io.ptinv.TensorData;
import io.ptinv.torch.runtime.Scopes;
import io.ptinv.torch.runtime.Tensors;
import io.ptinv.torch.unet.Conditioning;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * An {@link EmbeddingTrajectory} whose latents and embeddings stay in native memory on the model's device.
 * It owns its tensors: {@link #close()} frees them. Made by {@link Inversion} or loaded by {@code
 * TrajectoryFiles}.
 */
public final class TorchTrajectory implements EmbeddingTrajectory {
  private final Schedule schedule;
  private final InversionOptions options;
  private final String prompt;
  private final String modelId;
  private final int[] timesteps;
  private final List<Tensor> latents;
  private final List<Tensor> cond;
  private final List<Tensor> uncond;
  private final int layers;
  private volatile boolean closed;

  /**
   * Takes ownership of the tensors (they are kept beyond every scope and released on close).
   *
   * @param latents z*_0 .. z*_T
   * @param cond one conditional embedding per step, noisiest first: {@code [1, 77, D]}, or {@code [L, 77, D]} with
   *     one row per cross-attention layer (TODInv's extended space); every step the same shape
   * @param uncond one unconditional embedding per step
   */
  public TorchTrajectory(Schedule schedule, InversionOptions options, String prompt, String modelId,
      List<Tensor> latents, List<Tensor> cond, List<Tensor> uncond) {
    int steps = options.steps();
    InvalidInputException.check(latents.size() == steps + 1, "latents", (steps + 1) + " latents", latents.size());
    InvalidInputException.check(cond.size() == steps, "cond", steps + " embeddings", cond.size());
    InvalidInputException.check(uncond.size() == steps, "uncond", steps + " embeddings", uncond.size());
    long layerCount = cond.get(0).size(0);
    for (Tensor c : cond) {
      InvalidInputException.check(c.dim() == 3 && c.size(0) == layerCount, "cond",
          "embeddings [" + layerCount + ", tokens, hidden] at every step", Arrays.toString(c.shape()));
    }
    this.layers = (int) layerCount;
    this.schedule = schedule;
    this.options = options;
    this.prompt = prompt;
    this.modelId = modelId;
    this.timesteps = schedule.timesteps(steps);
    this.latents = keepAll(latents);
    this.cond = keepAll(cond);
    this.uncond = keepAll(uncond);
  }

  private static List<Tensor> keepAll(List<Tensor> tensors) {
    List<Tensor> out = new ArrayList<>(tensors.size());
    for (Tensor t : tensors) {
      out.add(Scopes.keep(t));
    }
    return List.copyOf(out);
  }

  @Override
  public Schedule schedule() {
    return schedule;
  }

  @Override
  public InversionOptions options() {
    return options;
  }

  /** The number of DDIM steps, {@code options().steps()}. */
  public int steps() {
    return options.steps();
  }

  @Override
  public String prompt() {
    return prompt;
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public List<Integer> timesteps() {
    return Arrays.stream(timesteps).boxed().toList();
  }

  /** The timestep of step {@code i}. */
  public int timestep(int i) {
    return timesteps[i];
  }

  @Override
  public int layers() {
    return layers;
  }

  /**
   * The conditioning of step {@code i}: one shared context, or one per cross-attention layer (views of this
   * trajectory's tensor, valid while it is open).
   */
  public Conditioning conditioning(int step) {
    Tensor c = condTensor(step);
    return layers == 1 ? Conditioning.shared(c) : Conditioning.perLayerRows(c);
  }

  /** z*_level (native, owned by this trajectory). */
  public Tensor latentTensor(int level) {
    checkOpen();
    return latents.get(level);
  }

  /**
   * The conditional embedding of step i (native, owned by this trajectory): {@code [1, 77, D]}, or {@code [L, 77, D]}
   * for a trajectory with one embedding per layer.
   */
  public Tensor condTensor(int step) {
    checkOpen();
    return cond.get(step);
  }

  /** The unconditional embedding of step i (native, owned by this trajectory). */
  public Tensor uncondTensor(int step) {
    checkOpen();
    return uncond.get(step);
  }

  @Override
  public TensorData latent(int level) {
    return Scopes.compute(() -> Tensors.toData(latentTensor(level)));
  }

  @Override
  public TensorData embedding(int step, int layer) {
    InvalidInputException.check(layer >= 0 && layer < layers, "layer", "a layer in [0, " + layers + ")", layer);
    return Scopes.compute(() -> Tensors.toData(condTensor(step).narrow(0, layer, 1)));
  }

  @Override
  public TensorData unconditionalEmbedding(int step) {
    return Scopes.compute(() -> Tensors.toData(uncondTensor(step)));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("trajectory is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      latents.forEach(Scopes::release);
      cond.forEach(Scopes::release);
      uncond.forEach(Scopes::release);
    }
  }
}
