package io.ptinv.torch.inversion;

import io.ptinv.EditTask;
import io.ptinv.NumericalException;
import io.ptinv.OptimizerKind;
import io.ptinv.TodInvOptions;
import io.ptinv.torch.sampling.DdimScheduler;
import io.ptinv.torch.sampling.Guidance;
import io.ptinv.torch.unet.Conditioning;
import io.ptinv.torch.unet.UNet2DConditionModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Task-oriented inversion in the extended prompt space (TODInv, Xu et al. 2024, Eqs. 6-9). One embedding per
 * timestep and cross-attention layer, all starting at the source prompt's {@code tau(P)}. At each inversion step
 * t = 1 ... T (least noisy first): {@code z*_t} is the DDIM inversion step from {@code z*_{t-1}} with the conditional
 * prediction under the current per-layer embeddings (Eq. 6); then the embeddings of the layers the task selects are
 * optimised with AdamW so that one DDIM denoising step from {@code z*_t} gives back {@code z*_{t-1}} (Eqs. 7-9:
 * loss {@code mean((z*_{t-1} - DDIM_step(z*_t, t, {c_{t,l}}))^2)}, at most K iterations, stopping once the loss is
 * below the threshold), with classifier-free guidance at the editing scale or the conditional prediction alone.
 * The layers not selected keep {@code tau(P)} bit for bit. With {@link TodInvOptions#sharedEmbedding()} (an
 * ablation) the selected layers share one embedding per timestep, optimised the same way.
 */
public final class TodInvInversion {
  private static final torch.ScalarType FP32 = torch.ScalarType.Float;

  /** Called after each timestep with its index (inversion order), the iterations it took and its last loss. */
  public interface Callback {
    /**
     * @param index the timestep's index in inversion order (0 = least noisy)
     * @param iterations the optimiser updates it took (fewer than K when the loss fell below the stop threshold)
     * @param loss its last loss
     */
    void afterTimestep(int index, int iterations, double loss);
  }

  /**
   * @param latents z*_0 .. z*_T
   * @param cond per step, noisiest first: {@code [L, 77, D]}
   * @param losses per step, noisiest first: the loss of the final embeddings' step (before any update when the loss
   *     was already below the threshold)
   * @param iterations per step, noisiest first: AdamW updates taken
   */
  public record Result(List<Tensor> latents, List<Tensor> cond, double[] losses, int[] iterations) {}

  private TodInvInversion() {}

  /**
   * Runs inside the caller's {@link PointerScope}, to which the results are attached.
   *
   * @param z0 the image latent
   * @param source {@code tau(P)} of the source prompt, {@code [1, 77, D]}
   * @param uncond the empty prompt's embedding (for the guided loss)
   * @param optimised per cross-attention layer, whether it is optimised ({@link LayerGroups#optimised(EditTask)})
   * @param w the editing guidance scale (used when {@code options.guided()})
   */
  public static Result invert(UNet2DConditionModel unet, DdimScheduler ddim, Tensor z0, Tensor source, Tensor uncond,
      boolean[] optimised, double w, TodInvOptions options, Callback callback) {
    PointerScope outer = PointerScope.getInnerScope();
    if (outer == null) {
      throw new IllegalStateException("run the inversion inside a PointerScope");
    }
    int[] ts = ddim.timesteps();
    int n = ts.length;
    int layers = optimised.length;
    List<Tensor> latents = new ArrayList<>(n + 1);
    latents.add(z0);
    List<Tensor> conds = new ArrayList<>(n);
    double[] losses = new double[n];
    int[] iterations = new int[n];
    List<Tensor> current = Collections.nCopies(layers, source);
    int first = firstOptimised(optimised);
    boolean any = first >= 0;
    boolean shared = options.sharedEmbedding();
    for (int k = 0; k < n; k++) {
      int t = ts[n - 1 - k];
      Tensor zPrev = latents.get(k);
      List<Tensor> start = options.warmStart() ? current : Collections.nCopies(layers, source);
      Tensor stacked;
      try (PointerScope step = new PointerScope()) {
        Tensor zt;
        Tensor uncondBranch = null;
        try (NoGradGuard g = new NoGradGuard()) {
          zt = ddim.invertStep(zPrev, unet.forward(zPrev, t, Conditioning.perLayer(start)), t); // Eq. 6
          if (options.guided()) {
            uncondBranch = unet.forward(zt, t, Conditioning.shared(uncond));
          }
        }
        // optimised embeddings, their optimiser state and the loss are fp32 whatever the model's precision
        List<Tensor> params = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
          params.add(optimised[l] ? start.get(l).to(FP32) : start.get(l));
        }
        List<EmbeddingOptimizer> optimizers = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
          optimizers.add(optimised[l] && !(shared && l != first) ? new EmbeddingOptimizer(OptimizerKind.ADAMW) : null);
        }
        // the loss's inputs in fp32 once per timestep (the UNet casts zt back to its precision exactly)
        Tensor zt32 = zt.to(FP32);
        Tensor zPrev32 = zPrev.to(FP32);
        Tensor uncond32 = uncondBranch == null ? null : uncondBranch.to(FP32);
        double loss = Double.NaN;
        int taken = 0;
        for (int j = 0; j <= options.maxIterations(); j++) {
          List<Tensor> contexts = new ArrayList<>(layers);
          Tensor tied = shared && any ? params.get(first).detach().requires_grad_(true) : null;
          for (int l = 0; l < layers; l++) {
            contexts.add(!optimised[l] ? params.get(l) : tied != null ? tied : params.get(l).detach().requires_grad_(true));
          }
          boolean update = any && j < options.maxIterations();
          Tensor value;
          if (update) {
            value = loss(unet, ddim, zt32, zPrev32, t, contexts, uncond32, w);
          } else {
            try (NoGradGuard g = new NoGradGuard()) {
              value = loss(unet, ddim, zt32, zPrev32, t, contexts, uncond32, w);
            }
          }
          loss = value.item_double();
          if (!Double.isFinite(loss)) {
            throw new NumericalException("TODInv loss is " + loss + " at timestep " + t + " (iteration " + (j + 1)
                + "); try a smaller learning rate");
          }
          if (!update || loss < options.stopLoss()) {
            break; // Eq. 9's early stop: this timestep is reconstructed well enough
          }
          value.backward();
          if (tied != null) { // one leaf used by every selected layer: its gradient is the sum over them
            Tensor next = optimizers.get(first).step(tied, tied.grad(), options.learningRate());
            for (int l = 0; l < layers; l++) {
              params.set(l, optimised[l] ? next : params.get(l));
            }
          } else {
            for (int l = 0; l < layers; l++) {
              if (optimised[l]) {
                Tensor leaf = contexts.get(l);
                params.set(l, optimizers.get(l).step(leaf, leaf.grad(), options.learningRate()));
              }
            }
          }
          taken++;
        }
        Tensor[] rows = new Tensor[layers];
        for (int l = 0; l < layers; l++) {
          rows[l] = params.get(l).to(FP32);
        }
        stacked = torch.cat(new TensorVector(rows), 0).detach();
        if (!torch.isfinite(stacked).all().item_bool()) {
          throw new NumericalException("the TODInv embeddings have NaN or Inf values at timestep " + t);
        }
        outer.attach(zt);
        outer.attach(stacked);
        latents.add(zt);
        conds.add(stacked);
        losses[n - 1 - k] = loss;
        iterations[n - 1 - k] = taken;
      }
      List<Tensor> next = new ArrayList<>(layers); // views made in the caller's scope: they outlive the step's
      for (int l = 0; l < layers; l++) {
        next.add(optimised[l] ? stacked.narrow(0, l, 1) : source);
      }
      current = next;
      callback.afterTimestep(k, iterations[n - 1 - k], losses[n - 1 - k]);
    }
    Collections.reverse(conds);
    return new Result(latents, conds, losses, iterations);
  }

  /** Eqs. 7-8: {@code mean((z*_{t-1} - DDIM_step(z*_t, t, eps))^2)}, in fp32 (latents and uncondBranch are). */
  private static Tensor loss(UNet2DConditionModel unet, DdimScheduler ddim, Tensor zt, Tensor zPrev, int t,
      List<Tensor> contexts, Tensor uncondBranch, double w) {
    Tensor condBranch = unet.forward(zt, t, Conditioning.perLayer(contexts)).to(FP32);
    Tensor eps = uncondBranch == null ? condBranch : Guidance.combine(uncondBranch, condBranch, w);
    return torch.mse_loss(ddim.step(zt, eps, t), zPrev, 1);
  }

  private static int firstOptimised(boolean[] optimised) {
    for (int l = 0; l < optimised.length; l++) {
      if (optimised[l]) {
        return l;
      }
    }
    return -1;
  }

}
