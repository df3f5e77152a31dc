package io.ptinv.torch.inversion;

import io.ptinv.NumericalException;
import io.ptinv.torch.sampling.DdimScheduler;
import io.ptinv.torch.sampling.Guidance;
import io.ptinv.torch.unet.Conditioning;
import io.ptinv.torch.unet.UNet2DConditionModel;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The tuning loop shared by PTI and Null-Text Inversion. From {@code z~_T = z*_T}, for each timestep t
 * (noisiest first): a fresh optimiser takes up to N steps on {@code mean((DDIM_step(z~_t, t, eps_w) -
 * z*_{t-1})^2)} with respect to the tuned embedding, the other branch of classifier-free guidance computed
 * once without gradient; then {@code z~_{t-1} = DDIM_step(z~_t, t, eps_w)} with the tuned embedding, which
 * is also where the next timestep's embedding starts (PTI's Eq. 8 and Alg. 1; NTI's Alg. 1).
 */
public final class PerTimestepTuning {
  private static final torch.ScalarType FP32 = torch.ScalarType.Float;

  /** Called after each optimiser step with the timestep index, inner step and loss (progress, cancellation). */
  public interface Callback {
    /**
     * @param stepIndex the timestep's index in sampling order (0 = noisiest)
     * @param innerStep the optimiser step within it, from 0
     * @param loss the loss before that step
     */
    void afterStep(int stepIndex, int innerStep, double loss);
  }

  /**
   * @param cond per-step conditional embeddings (tuned by PTI), noisiest first
   * @param uncond per-step unconditional embeddings (tuned by NTI)
   * @param reconstruction z~_0
   * @param losses the last inner loss at each timestep
   */
  public record Result(List<Tensor> cond, List<Tensor> uncond, Tensor reconstruction, double[] losses) {}

  private PerTimestepTuning() {}

  /**
   * Runs inside the caller's {@link PointerScope}, to which the results are attached; everything else is
   * released after each timestep.
   *
   * @param latents z*_0 .. z*_n from {@link DdimInversion}
   * @param cond the conditional embedding to start from (PTI: c*; NTI: the source prompt, kept fixed)
   * @param uncond the unconditional embedding to start from (the empty prompt's)
   */
  public static Result tune(UNet2DConditionModel unet, DdimScheduler ddim, List<Tensor> latents, Tensor cond,
      Tensor uncond, double w, TuningPlan plan, Callback callback) {
    PointerScope outer = PointerScope.getInnerScope();
    if (outer == null) {
      throw new IllegalStateException("run the tuning inside a PointerScope");
    }
    int[] ts = ddim.timesteps();
    int n = ts.length;
    List<Tensor> conds = new ArrayList<>(n);
    List<Tensor> unconds = new ArrayList<>(n);
    double[] losses = new double[n];
    Tensor z = latents.get(n);
    Tensor c = cond;
    Tensor u = uncond;
    for (int i = 0; i < n; i++) {
      int t = ts[i];
      try (PointerScope step = new PointerScope()) {
        Tensor fixedBranch;
        try (NoGradGuard g = new NoGradGuard()) {
          fixedBranch = unet.forward(z, t, Conditioning.shared(plan.tuneConditional() ? u : c));
        }
        // the tuned embedding, its optimiser state and the loss are fp32 whatever the model's precision (in fp16,
        // Adam's squared gradients and eps underflow to 0 and its update to NaN); the UNet casts its inputs
        Tensor param = (plan.tuneConditional() ? c : u).to(FP32);
        Tensor fixed32 = fixedBranch.to(FP32);
        Tensor z32 = z.to(FP32);
        Tensor target = latents.get(n - 1 - i).to(FP32);
        EmbeddingOptimizer optimizer = new EmbeddingOptimizer(plan.optimizer());
        for (int j = 0; j < plan.innerSteps(); j++) {
          Tensor leaf = param.detach().requires_grad_(true);
          Tensor tunedBranch = unet.forward(z, t, Conditioning.shared(leaf)).to(FP32);
          Tensor eps = plan.tuneConditional() ? Guidance.combine(fixed32, tunedBranch, w)
              : Guidance.combine(tunedBranch, fixed32, w);
          Tensor loss = torch.mse_loss(ddim.step(z32, eps, t), target, 1);
          loss.backward();
          double value = loss.item_double();
          if (!Double.isFinite(value)) {
            throw new NumericalException("loss is " + value + " at timestep " + t + " (step " + (i + 1) + " of " + n
                + ", inner step " + (j + 1) + "); try a smaller learning rate");
          }
          param = optimizer.step(leaf, leaf.grad(), plan.learningRate(i));
          losses[i] = value;
          callback.afterStep(i, j, value);
          if (plan.stopEarly(i, value)) {
            break;
          }
        }
        if (!torch.isfinite(param).all().item_bool()) {
          throw new NumericalException("the tuned embedding has NaN or Inf values at timestep " + t);
        }
        Tensor tunedC = plan.tuneConditional() ? param : c;
        Tensor tunedU = plan.tuneConditional() ? u : param;
        Tensor next;
        try (NoGradGuard g = new NoGradGuard()) {
          // the fixed branch is reused: the same call on the same inputs as the editor's, so eta = 0 still
          // repeats this reconstruction exactly, with one UNet call per timestep fewer
          Tensor tunedFinal = unet.forward(z, t, Conditioning.shared(param));
          Tensor eps = plan.tuneConditional() ? Guidance.combine(fixedBranch, tunedFinal, w)
              : Guidance.combine(tunedFinal, fixedBranch, w);
          next = ddim.step(z, eps, t);
        }
        outer.attach(param);
        outer.attach(next);
        c = tunedC;
        u = tunedU;
        z = next;
      }
      conds.add(c);
      unconds.add(u);
    }
    return new Result(conds, unconds, z, losses);
  }
}
