package io.ptinv.examples.train;

import com.google.common.base.Preconditions;
import io.ptinv.Schedule;
import io.ptinv.examples.shapes.ShapesDataset;
import io.ptinv.torch.nn.RandomParams;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.sampling.LatentNoise;
import io.ptinv.torch.text.ClipTextModel;
import io.ptinv.torch.text.ClipTokenizer;
import io.ptinv.torch.text.TruncationPolicy;
import io.ptinv.torch.unet.AttentionControl;
import io.ptinv.torch.unet.Conditioning;
import io.ptinv.torch.unet.UNet2DConditionModel;
import io.ptinv.torch.vae.AutoencoderKL;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Trains the shapes model in two phases, as latent diffusion is trained: the VAE alone (reconstruction + a
 * small KL term), then the text encoder and UNet together on the frozen VAE's latents (epsilon prediction
 * under SD's scaled-linear schedule, 10% caption dropout for classifier-free guidance). Optimiser: LibTorch's
 * AdamW; optionally an EMA of the text encoder and UNet, which is what {@link #writeModel} writes. A third,
 * optional phase fine-tunes the VAE decoder alone on the frozen encoder's latents (as SD's "ft-MSE" VAE
 * was): the latent space, and so the UNet, stays valid while reconstructions get sharper. Everything is
 * seeded; a checkpoint (weights, optimiser state, EMA, steps) is written every {@code checkpointEvery} steps
 * and a run resumes from it.
 */
public final class ShapesTrainer implements AutoCloseable {
  /** Called every step with the phase, step, total steps and loss. */
  public interface Listener {
    boolean onStep(String phase, int step, int total, double loss);
  }

  private static final double KL_WEIGHT = 1e-4;
  private static final double CAPTION_DROPOUT = 0.1;
  /** The decoder phase's batches start this many batches into the dataset, past the VAE phase's. */
  private static final long DECODER_DATA_OFFSET = 1_000_000;

  private static final String EMA_FILE = "ema.safetensors";
  private final TrainingCheckpoint checkpoint;
  private final long seed;
  private final ComputeDevice device;
  private final ShapesDataset data;
  private final RandomParams vaeParams;
  private final RandomParams textParams;
  private final RandomParams unetParams;
  private final AutoencoderKL vae;
  private final ClipTextModel text;
  private final UNet2DConditionModel unet;
  private final ClipTokenizer tokenizer = ClipTokenizer.bundled(TruncationPolicy.WARN);
  private final Schedule schedule = Schedule.stableDiffusion();
  private double scalingFactor = 1.0;
  private int vaeStepsDone;
  private int diffusionStepsDone;
  private int decoderStepsDone;
  private double emaDecay;
  private LrSchedule lrSchedule = LrSchedule.CONSTANT;
  private Ema ema; // of text encoder + UNet, keys prefixed "text_encoder/" and "unet/"

  /** @param dir where checkpoints go ({@code dir/checkpoint}) */
  public ShapesTrainer(Path dir, long seed, ComputeDevice device) {
    this.checkpoint = new TrainingCheckpoint(dir.resolve("checkpoint"));
    this.seed = seed;
    this.device = device;
    this.data = new ShapesDataset(seed);
    try (PointerScope scope = new PointerScope()) {
      vaeParams = new RandomParams(seed, device, Precision.FP32, true);
      vae = new AutoencoderKL(vaeParams, ShapesModelSpec.vae(1.0));
      textParams = new RandomParams(seed + 1, device, Precision.FP32, true);
      text = new ClipTextModel(textParams, ShapesModelSpec.text());
      unetParams = new RandomParams(seed + 2, device, Precision.FP32, true);
      unet = new UNet2DConditionModel(unetParams, ShapesModelSpec.unet());
    }
  }

  public double scalingFactor() {
    return scalingFactor;
  }

  /** VAE steps completed so far (restored by {@link #resume()}). */
  public int vaeStepsDone() {
    return vaeStepsDone;
  }

  /** Text encoder + UNet steps completed so far (restored by {@link #resume()}). */
  public int diffusionStepsDone() {
    return diffusionStepsDone;
  }

  /** Decoder fine-tuning steps completed so far (restored by {@link #resume()}). */
  public int decoderStepsDone() {
    return decoderStepsDone;
  }

  /**
   * Keeps an exponential moving average of the text encoder and UNet weights during the diffusion phase
   * (0 = none). Call after {@link #resume} or {@link #initFrom} and before {@link #trainDiffusion}: a
   * checkpoint's average is restored, otherwise it starts at the current weights.
   */
  public void useEma(double decay) {
    Preconditions.checkArgument(decay == 0 || (decay > 0 && decay < 1), "--ema must be 0 or in (0, 1), got %s", decay);
    this.emaDecay = decay;
    startEma();
  }

  /** How each phase's learning rate changes over its steps (default constant). */
  public void useLrSchedule(LrSchedule schedule) {
    this.lrSchedule = schedule;
  }

  /** The VAE's weights by name (live, trained in place). */
  public Map<String, Tensor> vaeWeights() {
    return vaeParams.named();
  }

  /** The averaged text encoder + UNet weights, or null when no EMA is kept. */
  public Map<String, Tensor> emaWeights() {
    return ema == null ? null : ema.weights();
  }

  /**
   * Forgets the diffusion and decoder phases (after the VAE changed, its latent space did too): their
   * optimiser states and the EMA are dropped, and both start again from step 0 with the current weights.
   */
  public void resetLaterPhases() {
    checkpoint.delete("optimizer-diffusion.pt", "optimizer-decoder.pt", EMA_FILE);
    diffusionStepsDone = 0;
    decoderStepsDone = 0;
    if (ema != null) {
      ema.close();
      ema = null;
    }
    startEma();
  }

  /** Trains the VAE from {@code startStep} (0, or where a checkpoint left off) to {@code steps}. */
  public double trainVae(int startStep, int steps, int batch, double lr, int checkpointEvery, Listener listener) {
    AdamW opt = optimizer(vaeParams.named().values(), lr, "vae");
    return loop("vae", startStep, steps, opt, lr, checkpointEvery, listener, step -> {
      io.ptinv.torch.runtime.Torch.manualSeed(seed * 31 + step); // same noise after a resume
      Tensor x = Batch.of(data, step, batch).images().to(device.toTorch(), torch.ScalarType.Float);
      AutoencoderKL.Posterior post = vae.encode(x);
      Tensor std = torch.exp(post.logvar().mul(new Scalar(0.5)));
      Tensor z = post.mean().add(std.mul(torch.randn_like(std)));
      Tensor rec = vae.decode(z);
      // KL(N(mu, sigma^2) || N(0, 1)) per element: -0.5 (1 + log sigma^2 - mu^2 - sigma^2)
      Tensor kl = post.logvar().add(new Scalar(1)).sub(post.mean().pow(new Scalar(2))).sub(post.logvar().exp())
          .mul(new Scalar(-0.5)).mean();
      return torch.mse_loss(rec, x, 1).add(kl.mul(new Scalar(KL_WEIGHT)));
    }, () -> {}, done -> vaeStepsDone = done);
  }

  /** The loss of one step, computed inside the step's scope. */
  private interface StepLoss {
    Tensor at(int step);
  }

  /**
   * The loop every phase shares: per step, the scheduled learning rate, then in the step's own scope the
   * loss, one AdamW step and {@code afterStep};
   * the step count goes to {@code done}; checkpoints every {@code checkpointEvery} steps, at the end and
   * when the listener asks to stop.
   */
  private double loop(String phase, int startStep, int steps, AdamW opt, double lr, int checkpointEvery, Listener listener,
      StepLoss lossAt, Runnable afterStep, java.util.function.IntConsumer done) {
    double loss = Double.NaN;
    for (int step = startStep; step < steps; step++) {
      // set every step: the schedule, and the given rate rather than the one a restored AdamW state carries
      double rate = lrSchedule.at(lr, step, steps);
      for (long g = 0; g < opt.param_groups().size(); g++) {
        opt.param_groups().get(g).options().set_lr(rate);
      }
      try (PointerScope scope = new PointerScope()) {
        Tensor total = lossAt.at(step);
        opt.zero_grad();
        total.backward();
        opt.step();
        afterStep.run();
        loss = total.item_double();
      }
      done.accept(step + 1);
      if ((step + 1) % checkpointEvery == 0 || step + 1 == steps) {
        saveCheckpoint(phase, step + 1, opt);
      }
      if (!listener.onStep(phase, step + 1, steps, loss)) {
        saveCheckpoint(phase, step + 1, opt);
        break;
      }
    }
    return loss;
  }

  /** 1 / std of the VAE latents' means over {@code n} images, as SD's scaling factor was chosen. */
  public double computeScalingFactor(int n) {
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Tensor x = Batch.of(new ShapesDataset(seed + 1000), 0, n).images().to(device.toTorch(), torch.ScalarType.Float);
      double std = vae.encode(x).mean().std().item_double();
      scalingFactor = 1.0 / std;
      return scalingFactor;
    }
  }

  /** Trains text encoder and UNet on the frozen VAE, from {@code startStep} to {@code steps}. */
  public double trainDiffusion(int startStep, int steps, int batch, double lr, int checkpointEvery, Listener listener) {
    List<Tensor> params = new ArrayList<>(textParams.named().values());
    params.addAll(unetParams.named().values());
    AdamW opt = optimizer(params, lr, "diffusion");
    double[] alphas = schedule.alphasCumprod();
    return loop("diffusion", startStep, steps, opt, lr, checkpointEvery, listener, step -> {
      SplittableRandom rng = new SplittableRandom(seed * 31 + step);
      Batch b = Batch.of(data, step, batch);
      Tensor z0;
      try (NoGradGuard g = new NoGradGuard()) {
        z0 = vae.encode(b.images().to(device.toTorch(), torch.ScalarType.Float)).mean().mul(new Scalar(scalingFactor));
      }
      float[] t = new float[batch];
      float[] a = new float[batch];
      float[] s = new float[batch];
      long[] ids = new long[batch * ClipTokenizer.CONTEXT_LENGTH];
      for (int k = 0; k < batch; k++) {
        int ts = rng.nextInt(schedule.trainTimesteps());
        t[k] = ts;
        a[k] = (float) Math.sqrt(alphas[ts]);
        s[k] = (float) Math.sqrt(1 - alphas[ts]);
        String caption = rng.nextDouble() < CAPTION_DROPOUT ? "" : b.captions().get(k);
        System.arraycopy(tokenizer.encode(caption), 0, ids, k * ClipTokenizer.CONTEXT_LENGTH, ClipTokenizer.CONTEXT_LENGTH);
      }
      Tensor noise = LatentNoise.gaussian(rng.nextLong(), z0.shape()).to(device.toTorch(), torch.ScalarType.Float);
      // forward process q(z_t | z_0) = N(sqrt(abar_t) z_0, (1 - abar_t) I)
      Tensor zt = z0.mul(column(a, device)).add(noise.mul(column(s, device)));
      Tensor ctx = text.forward(Tensor.create(ids, batch, ClipTokenizer.CONTEXT_LENGTH).to(device.toTorch(), torch.ScalarType.Long));
      Tensor eps = unet.forward(zt, Tensor.create(t, batch).to(device.toTorch(), torch.ScalarType.Float),
          Conditioning.shared(ctx), AttentionControl.NONE);
      return torch.mse_loss(eps, noise, 1);
    }, () -> {
      if (ema != null) {
        ema.update(diffusionWeights());
      }
    }, done -> diffusionStepsDone = done);
  }

  /**
   * Fine-tunes the VAE decoder (and post-quant conv) alone, from {@code startStep} to {@code steps}: the
   * encoder is frozen and its posterior mean decoded, as diffusion samples are; MSE in [-1, 1]. The latent
   * space does not change, so the UNet needs no retraining. Batches are drawn past the VAE phase's.
   */
  public double trainDecoder(int startStep, int steps, int batch, double lr, int checkpointEvery, Listener listener) {
    List<Tensor> params = new ArrayList<>();
    vaeParams.named().forEach((name, t) -> {
      if (name.startsWith("decoder.") || name.startsWith("post_quant_conv.")) {
        params.add(t);
      }
    });
    AdamW opt = optimizer(params, lr, "decoder");
    return loop("decoder", startStep, steps, opt, lr, checkpointEvery, listener, step -> {
      Tensor x = Batch.of(data, DECODER_DATA_OFFSET + step, batch).images().to(device.toTorch(), torch.ScalarType.Float);
      Tensor z;
      try (NoGradGuard g = new NoGradGuard()) {
        z = vae.encode(x).mean();
      }
      return torch.mse_loss(vae.decode(z), x, 1);
    }, () -> {}, done -> decoderStepsDone = done);
  }

  private Map<String, Tensor> diffusionWeights() {
    Map<String, Tensor> all = new LinkedHashMap<>();
    textParams.named().forEach((k, v) -> all.put("text_encoder/" + k, v));
    unetParams.named().forEach((k, v) -> all.put("unet/" + k, v));
    return all;
  }

  private void startEma() {
    if (emaDecay == 0 || ema != null) {
      return;
    }
    ema = new Ema(diffusionWeights(), emaDecay);
    if (checkpoint.has(EMA_FILE)) {
      checkpoint.restore(ema.weights(), EMA_FILE); // copied into the average's own tensors
    }
  }

  private static Map<String, Tensor> part(Map<String, Tensor> prefixed, String prefix) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    prefixed.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  private static Tensor column(float[] v, ComputeDevice device) {
    return Tensor.create(v, v.length, 1, 1, 1).to(device.toTorch(), torch.ScalarType.Float);
  }

  private AdamW optimizer(java.util.Collection<Tensor> params, double lr, String phase) {
    AdamWOptions options = new AdamWOptions(lr);
    options.weight_decay().put(0.01);
    AdamW opt = new AdamW(new TensorVector(params.toArray(new Tensor[0])), options);
    checkpoint.restoreOptimizer(phase, opt);
    return opt;
  }

  Path checkpointDir() {
    return checkpoint.dir();
  }

  private void saveCheckpoint(String phase, int step, AdamW opt) {
    Map<String, Map<String, Tensor>> weights = new LinkedHashMap<>();
    weights.put("vae.safetensors", vaeParams.named());
    weights.put("text_encoder.safetensors", textParams.named());
    weights.put("unet.safetensors", unetParams.named());
    if (ema != null) {
      weights.put(EMA_FILE, ema.weights());
    }
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("seed", seed);
    state.put("phase", phase);
    state.put("step", step);
    state.put("scaling_factor", scalingFactor);
    state.put("vae_step", vaeStepsDone);
    state.put("diffusion_step", diffusionStepsDone);
    state.put("decoder_step", decoderStepsDone);
    checkpoint.write(weights, phase, opt, state);
  }

  /**
   * Starts from the weights of a model folder written by {@link #writeModel} (e.g. the shipped one), to
   * train it further; optimisers start fresh. The VAE's scaling factor comes from its config.
   */
  public void initFrom(Path model) {
    TrainingCheckpoint.copyInto(vaeParams.named(), model.resolve("vae/diffusion_pytorch_model.safetensors"));
    TrainingCheckpoint.copyInto(textParams.named(), model.resolve("text_encoder/model.safetensors"));
    TrainingCheckpoint.copyInto(unetParams.named(), model.resolve("unet/diffusion_pytorch_model.safetensors"));
    scalingFactor = io.ptinv.torch.io.ModelConfigs.read(model.resolve("vae/config.json"), io.ptinv.torch.vae.VaeConfig.class)
        .scalingFactor();
  }

  /** Loads the checkpoint's weights and returns its state ({@code phase}, {@code step}, ...), or null if none. */
  public Map<String, Object> resume() {
    Map<String, Object> s = checkpoint.state();
    if (s == null) {
      return null;
    }
    checkpoint.restore(vaeParams.named(), "vae.safetensors");
    checkpoint.restore(textParams.named(), "text_encoder.safetensors");
    checkpoint.restore(unetParams.named(), "unet.safetensors");
    scalingFactor = ((Number) s.get("scaling_factor")).doubleValue();
    int step = TrainingCheckpoint.intField(s, "step", 0);
    // checkpoints written before per-phase counts existed name only the phase and its step
    vaeStepsDone = TrainingCheckpoint.intField(s, "vae_step", "vae".equals(s.get("phase")) ? step : 0);
    diffusionStepsDone = TrainingCheckpoint.intField(s, "diffusion_step", "diffusion".equals(s.get("phase")) ? step : 0);
    decoderStepsDone = TrainingCheckpoint.intField(s, "decoder_step", 0);
    return s;
  }

  /**
   * Writes the trained model as a diffusers folder (fp16 weights), loadable by {@code StableDiffusion.load};
   * the text encoder and UNet are the EMA weights when an EMA is kept.
   */
  public void writeModel(Path out) {
    try {
      Files.createDirectories(out);
      Map<String, Tensor> text = ema == null ? textParams.named() : part(ema.weights(), "text_encoder/");
      Map<String, Tensor> unetWeights = ema == null ? unetParams.named() : part(ema.weights(), "unet/");
      ModelFolder.write(out, vaeParams.named(), text, unetWeights, scalingFactor);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model to " + out, e);
    }
  }

  @Override
  public void close() {
    if (ema != null) {
      ema.close();
    }
    vaeParams.releaseAll();
    textParams.releaseAll();
    unetParams.releaseAll();
  }
}
