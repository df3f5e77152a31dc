package io.ptinv.torch.editing;

import io.ptinv.CancelledException;
import io.ptinv.ClosedException;
import io.ptinv.EditOptions;
import io.ptinv.EditTask;
import io.ptinv.Editor;
import io.ptinv.EmbeddingTrajectory;
import io.ptinv.InvalidInputException;
import io.ptinv.InversionMethod;
import io.ptinv.InversionOptions;
import io.ptinv.Inverter;
import io.ptinv.NumericalException;
import io.ptinv.ProgressListener;
import io.ptinv.Stage;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.inversion.Inversion;
import io.ptinv.torch.inversion.LayerGroups;
import io.ptinv.torch.inversion.TorchTrajectory;
import io.ptinv.torch.sampling.StageProgress;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * {@link Editor} and {@link Inverter} over a loaded {@link StableDiffusion}: Prompt Tuning Inversion (or NTI, plain
 * DDIM or TODInv, as the options say) followed by condition interpolation ({@link EditSampler}) or, with
 * {@link EditOptions#p2p()}, Prompt-to-Prompt attention control ({@link PromptToPromptSampler}).
 *
 * <p>Thread safety: an instance may be shared between threads; calls on one model are serialised (a run
 * uses the whole CPU or GPU, so running two at once would only slow both). Results do not depend on how
 * calls interleave. {@link #close()} waits for running calls and never frees weights under them.
 *
 * <p>Cancellation: a {@link ProgressListener} returning false, or {@link Thread#interrupt()} of the calling thread,
 * stops a call at the next step with {@link CancelledException} (native memory released; an interrupt flag stays
 * set). Arguments are checked before any work: null or invalid ones give {@link InvalidInputException} naming them.
 */
public final class PtiEditor implements Editor, Inverter {
  private final StableDiffusion model;
  private final boolean ownsModel;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean closed;

  /**
   * @param model the loaded model
   * @param ownsModel whether {@link #close()} also closes the model
   */
  public PtiEditor(StableDiffusion model, boolean ownsModel) {
    this.model = InvalidInputException.requireNonNull(model, "model");
    this.ownsModel = ownsModel;
  }

  /** Loads a model (diffusers folder or single file, default options) into an editor that owns it. */
  public static PtiEditor load(java.nio.file.Path model) {
    return load(model, io.ptinv.torch.LoadOptions.defaults());
  }

  /**
   * Loads a model with the given device, precision, truncation policy and config folder into an editor that owns
   * it.
   */
  public static PtiEditor load(java.nio.file.Path model, io.ptinv.torch.LoadOptions options) {
    return new PtiEditor(StableDiffusion.load(model, InvalidInputException.requireNonNull(options, "options")), true);
  }

  /**
   * The model folder's {@code ptinv.json} settings (steps, guidance, N, beta, eta, blend threshold) where it has
   * them, the paper's defaults elsewhere; used by {@link #edit(BufferedImage, String)} and
   * {@link #edit(BufferedImage, String, double)}.
   */
  @Override
  public EditOptions recommendedOptions() {
    return model.defaults().toEditOptions();
  }

  /** The model this editor runs on (owned by the editor when it loaded it). */
  public StableDiffusion model() {
    return model;
  }

  /**
   * Inverts with {@code options.method()}; for TODInv {@code prompt} is the source prompt and {@code options.todinv()}
   * must name the task (or use {@link #invert(BufferedImage, String, String, InversionOptions, ProgressListener)}).
   */
  @Override
  public TorchTrajectory invert(BufferedImage image, String prompt, InversionOptions options, ProgressListener listener) {
    checkArguments(image, prompt, options, listener);
    Inversion.requireTask(options);
    resolveTask(options, prompt, prompt); // TODInv: checks the source prompt (the task is named)
    try (Call call = begin()) {
      return invertInCall(image, prompt, options, listener);
    }
  }

  @Override
  public BufferedImage edit(BufferedImage image, String prompt, EditOptions options, ProgressListener listener) {
    checkArguments(image, prompt, options, listener);
    return sweep(image, prompt, options, List.of(options.eta()), listener).get(0);
  }

  @Override
  public BufferedImage edit(EmbeddingTrajectory trajectory, String prompt, double eta, ProgressListener listener) {
    TorchTrajectory traj = checkTrajectory(trajectory);
    EditOptions.checkEta(eta);
    return edit(traj, prompt, EditOptions.builder().inversion(traj.options()).eta(eta).build(), listener);
  }

  /**
   * Edits a trajectory with the eta, interpolation, local blending and re-weighting of {@code options} (its
   * inversion settings are the trajectory's).
   */
  public BufferedImage edit(EmbeddingTrajectory trajectory, String prompt, EditOptions options, ProgressListener listener) {
    InvalidInputException.requireNonNull(options, "options");
    return edits(trajectory, prompt, List.of(options.eta()), options, listener).get(0);
  }

  /**
   * The paper's trade-off curve in one call: inverts and tunes once, then one edit per eta.
   */
  public List<BufferedImage> sweep(BufferedImage image, String prompt, EditOptions options, List<Double> etas,
      ProgressListener listener) {
    checkArguments(image, prompt, options, listener);
    checkEtas(etas);
    InversionOptions inversion = resolveTask(options.inversion(), options.sourcePrompt(), prompt);
    InvalidInputException.check(options.p2p() == null || options.inversion().method() == InversionMethod.PTI
        || !options.sourcePrompt().isBlank(), "sourcePrompt",
        "a prompt describing the input image for Prompt-to-Prompt after " + options.inversion().method(), "an empty prompt");
    String invertWith = inversionPrompt(options, prompt);
    EditControls.resolve(model, options, prompt, invertWith, options.p2p() != null); // blend and re-weight words, before work
    try (Call call = begin(); TorchTrajectory trajectory = invertInCall(image, invertWith, inversion, listener)) {
      return editsInCall(trajectory, prompt, etas, options, listener);
    }
  }

  /**
   * TODInv's inversion with its task decided from the prompts when {@code options.todinv()} names none
   * ({@link EditTask#classify}); with a task named, {@code targetPrompt} is not used.
   *
   * @param sourcePrompt the prompt describing the image, whose embedding is optimised (not empty)
   * @param targetPrompt the prompt of the edit to come
   */
  public TorchTrajectory invert(BufferedImage image, String sourcePrompt, String targetPrompt, InversionOptions options,
      ProgressListener listener) {
    checkArguments(image, sourcePrompt, options, listener);
    InvalidInputException.requireNonNull(targetPrompt, "targetPrompt");
    InversionOptions resolved = resolveTask(options, sourcePrompt, targetPrompt);
    try (Call call = begin()) {
      return invertInCall(image, sourcePrompt, resolved, listener);
    }
  }

  /** PTI tunes the target prompt; NTI, DDIM and TODInv invert with the source prompt where one is given. */
  private static String inversionPrompt(EditOptions options, String prompt) {
    InversionMethod method = options.inversion().method();
    if (method == InversionMethod.PTI || options.sourcePrompt().isEmpty()) {
      return prompt;
    }
    return options.sourcePrompt();
  }

  /**
   * Checks TODInv's source prompt and layer-group overrides (against this model's layers) and fills in its task; other
   * methods pass through.
   */
  private InversionOptions resolveTask(InversionOptions options, String sourcePrompt, String targetPrompt) {
    if (options.method() != InversionMethod.TODINV) {
      return options;
    }
    InvalidInputException.check(!sourcePrompt.isBlank(), "sourcePrompt",
        "a prompt describing the input image (TODInv optimises its embedding)", "an empty prompt");
    LayerGroups.of(model.unet()).with(options.todinv().layerGroups());
    if (options.todinv().task() != null) {
      return options;
    }
    EditTask task = EditTask.classify(sourcePrompt, targetPrompt).task();
    return options.toBuilder().todinv(options.todinv().withTask(task)).build();
  }

  /** One decoded edit per eta from one trajectory, with condition interpolation and no attention controls. */
  public List<BufferedImage> edits(EmbeddingTrajectory trajectory, String prompt, List<Double> etas,
      EditOptions.Interpolation interpolation, ProgressListener listener) {
    InvalidInputException.requireNonNull(interpolation, "interpolation");
    return edits(trajectory, prompt, etas, EditOptions.builder().interpolation(interpolation).build(), listener);
  }

  /** One decoded edit per eta from one trajectory; the other edit settings come from {@code options}. */
  public List<BufferedImage> edits(EmbeddingTrajectory trajectory, String prompt, List<Double> etas,
      EditOptions options, ProgressListener listener) {
    TorchTrajectory traj = checkTrajectory(trajectory);
    InvalidInputException.requireNonNull(prompt, "prompt");
    InvalidInputException.requireNonNull(options, "options");
    InvalidInputException.requireNonNull(listener, "listener");
    checkEtas(etas);
    try (Call call = begin()) {
      return editsInCall(traj, prompt, etas, options, listener);
    }
  }

  /** The reconstruction (eta = 0) of a trajectory as an image. */
  public BufferedImage reconstruct(EmbeddingTrajectory trajectory, ProgressListener listener) {
    TorchTrajectory traj = checkTrajectory(trajectory);
    return edits(traj, traj.prompt(), List.of(0.0), EditOptions.Interpolation.CONDITION, listener).get(0);
  }

  private TorchTrajectory invertInCall(BufferedImage image, String prompt, InversionOptions options,
      ProgressListener listener) {
    try (PointerScope scope = new PointerScope()) {
      StageProgress progress = new StageProgress(listener);
      progress.stage(Stage.ENCODE, 1);
      Tensor z0 = model.encodeImage(image, options.sizePolicy());
      progress.step();
      return Inversion.run(model, z0, prompt, options, listener);
    }
  }

  private List<BufferedImage> editsInCall(TorchTrajectory traj, String prompt, List<Double> etas, EditOptions options,
      ProgressListener listener) {
    boolean p2p = options.p2p() != null;
    EditControls controls = EditControls.resolve(model, options, prompt, traj.prompt(), p2p);
    TokenAlignment alignment = p2p ? TokenAlignment.of(model.tokenizer(), traj.prompt(), prompt) : null;
    EditOptions.Interpolation interpolation = options.interpolation();
    try (PointerScope scope = new PointerScope()) {
      Tensor cStar = model.encodePrompt(prompt);
      StageProgress progress = new StageProgress(listener);
      List<BufferedImage> out = new ArrayList<>();
      for (double eta : etas) {
        try (PointerScope one = new PointerScope()) {
          Tensor z0 = p2p
              ? PromptToPromptSampler.sample(model, traj, cStar, eta, alignment, controls.equalizer(), controls.blend(),
                  options.p2p(), progress)
              : EditSampler.sample(model, traj, cStar, eta, interpolation, controls, progress);
          if (!torch.isfinite(z0).all().item_bool()) { // a black image otherwise
            throw new NumericalException("the edit's latent has NaN or Inf values (model precision "
                + model.precision().name().toLowerCase(java.util.Locale.ROOT) + ", eta " + eta
                + "); try fp32 or bf16, or a smaller learning rate");
          }
          progress.stage(Stage.DECODE, 1);
          out.add(model.decodeImage(z0));
          progress.step();
        }
      }
      return out;
    }
  }

  /**
   * Starts a public call: fails if this editor is closed, keeps the model's weights alive until the call ends
   * ({@link #close()} waits for it), and serialises calls on this model. Waiting for another thread's call can be
   * interrupted ({@link CancelledException}, the interrupt flag stays set).
   */
  private Call begin() {
    if (closed) {
      throw new ClosedException("this editor is closed");
    }
    StableDiffusion.Lease lease = model.acquire();
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      lease.close();
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting for another call on this model");
    }
    return () -> {
      lock.unlock();
      lease.close();
    };
  }

  /** A public call in progress: the lock and the model lease, released together. */
  private interface Call extends AutoCloseable {
    @Override
    void close();
  }

  private static void checkArguments(BufferedImage image, String prompt, Object options, ProgressListener listener) {
    InvalidInputException.requireNonNull(image, "image");
    InvalidInputException.requireNonNull(prompt, "prompt");
    InvalidInputException.requireNonNull(options, "options");
    InvalidInputException.requireNonNull(listener, "listener");
  }

  private static void checkEtas(List<Double> etas) {
    InvalidInputException.requireNonNull(etas, "etas");
    InvalidInputException.check(!etas.isEmpty(), "etas", "at least one eta", etas);
    for (Double eta : etas) {
      InvalidInputException.requireNonNull(eta, "etas[]");
      EditOptions.checkEta(eta);
    }
  }

  private TorchTrajectory checkTrajectory(EmbeddingTrajectory trajectory) {
    InvalidInputException.requireNonNull(trajectory, "trajectory");
    if (!(trajectory instanceof TorchTrajectory t)) {
      throw new InvalidInputException("trajectory", "expected one made or loaded by ptinv-torch but got "
          + trajectory.getClass().getName());
    }
    InvalidInputException.check(t.modelId().equals(model.modelId()), "trajectory",
        "one made with this model (" + model.modelId() + ")", "one made with model " + t.modelId());
    InvalidInputException.check(t.schedule().equals(model.schedule()), "trajectory",
        "this model's schedule " + model.schedule(), t.schedule());
    return t;
  }

  /**
   * Closes the editor: calls already running (or waiting) on another thread finish first, later calls fail with
   * {@link ClosedException}; with {@code ownsModel} the model's weights are then released.
   */
  @Override
  public void close() {
    closed = true;
    if (ownsModel) {
      model.close();
    }
  }
}
