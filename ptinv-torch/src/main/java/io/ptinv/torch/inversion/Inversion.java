package io.ptinv.torch.inversion;

import io.ptinv.InvalidInputException;
import io.ptinv.InversionMethod;
import io.ptinv.InversionOptions;
import io.ptinv.ProgressListener;
import io.ptinv.Stage;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.sampling.DdimScheduler;
import io.ptinv.torch.sampling.StageProgress;
import java.util.Collections;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Latent to {@link TorchTrajectory}: DDIM inversion with w = 0, then PTI (tune the conditional embedding),
 * NTI (tune the unconditional one) or nothing (plain DDIM), as {@link InversionOptions#method()} says; or TODInv's
 * interleaved inversion and per-layer optimisation ({@link TodInvInversion}).
 */
public final class Inversion {
  private Inversion() {}

  /**
   * @param z0 the image latent {@code [1, C, h, w]} on the model's device
   * @param prompt PTI: the prompt c* whose embedding is tuned; NTI and DDIM: the source prompt
   */
  public static TorchTrajectory run(StableDiffusion model, Tensor z0, String prompt, InversionOptions options,
      ProgressListener listener) {
    return run(model, z0, prompt, options, LayerGroups.of(model.unet()), listener);
  }

  /**
   * @param prompt PTI: the prompt c* whose embedding is tuned; NTI, DDIM and TODInv: the source prompt
   * @param groups TODInv's layer groups (unused by the other methods)
   * @throws InvalidInputException for TODInv without a task in {@code options.todinv()} (decide it first)
   */
  public static TorchTrajectory run(StableDiffusion model, Tensor z0, String prompt, InversionOptions options,
      LayerGroups groups, ProgressListener listener) {
    if (options.method() == InversionMethod.TODINV) {
      return todinv(model, z0, prompt, options, groups, listener);
    }
    DdimScheduler ddim = new DdimScheduler(model.schedule(), options.steps());
    int n = options.steps();
    StageProgress progress = new StageProgress(listener);
    try (PointerScope run = new PointerScope()) {
      Tensor cond = model.encodePrompt(prompt);
      Tensor uncond = model.encodePrompt("");
      progress.stage(Stage.INVERT, n);
      List<Tensor> latents = DdimInversion.invert(model.unet(), ddim, z0, uncond, progress::step);
      List<Tensor> conds;
      List<Tensor> unconds;
      if (options.method() == InversionMethod.DDIM) {
        conds = Collections.nCopies(n, cond);
        unconds = Collections.nCopies(n, uncond);
      } else {
        TuningPlan plan = options.method() == InversionMethod.PTI ? TuningPlan.pti(options)
            : TuningPlan.nullText(options.nullTextInnerSteps(), options.nullTextLearningRate(), options.nullTextEarlyStop());
        progress.stage(Stage.TUNE, n);
        PerTimestepTuning.Result tuned = PerTimestepTuning.tune(model.unet(), ddim, latents, cond, uncond,
            options.guidanceScale(), plan, (i, j, loss) -> progress.advanceTo(i));
        conds = tuned.cond();
        unconds = tuned.uncond();
        progress.advanceTo(n);
      }
      return new TorchTrajectory(model.schedule(), options, prompt, model.modelId(), latents, conds, unconds);
    }
  }

  /**
   * TODInv's inversion needs its task decided (named in {@code options.todinv()}, or classified from the prompts by
   * the caller) before it starts.
   *
   * @throws InvalidInputException if {@code options} is TODInv without a task
   */
  public static void requireTask(InversionOptions options) {
    InvalidInputException.check(options.method() != InversionMethod.TODINV || options.todinv().task() != null,
        "todinv task", "a task (appearance, structure or global), or a target prompt to decide it from", "none");
  }

  private static TorchTrajectory todinv(StableDiffusion model, Tensor z0, String prompt, InversionOptions options,
      LayerGroups groups, ProgressListener listener) {
    requireTask(options);
    groups = groups.with(options.todinv().layerGroups());
    InvalidInputException.check(groups.size() == model.unet().crossAttentionLayers().size(), "layer groups",
        "a table for this model's " + model.unet().crossAttentionLayers().size() + " cross-attention layers", groups.size());
    int n = options.steps();
    DdimScheduler ddim = new DdimScheduler(model.schedule(), n);
    StageProgress progress = new StageProgress(listener);
    try (PointerScope run = new PointerScope()) {
      Tensor source = model.encodePrompt(prompt);
      Tensor uncond = model.encodePrompt("");
      progress.stage(Stage.TUNE, n);
      TodInvInversion.Result r = TodInvInversion.invert(model.unet(), ddim, z0, source, uncond,
          groups.optimised(options.todinv().task()), options.guidanceScale(), options.todinv(),
          (k, iterations, loss) -> progress.step());
      return new TorchTrajectory(model.schedule(), options, prompt, model.modelId(), r.latents(), r.cond(),
          Collections.nCopies(n, uncond));
    }
  }
}
