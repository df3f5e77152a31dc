package io.ptinv.torch.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.EditOptions;
import io.ptinv.InversionOptions;
import io.ptinv.ModelLoadException;
import io.ptinv.OptimizerKind;
import io.ptinv.ProgressListener;
import io.ptinv.torch.LoadOptions;
import io.ptinv.torch.StableDiffusion;
import io.ptinv.torch.editing.EditControls;
import io.ptinv.torch.editing.EditSampler;
import io.ptinv.torch.inversion.DdimInversion;
import io.ptinv.torch.inversion.PerTimestepTuning;
import io.ptinv.torch.inversion.TorchTrajectory;
import io.ptinv.torch.inversion.TuningPlan;
import io.ptinv.torch.io.SafeTensorsFile;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.runtime.Tensors;
import io.ptinv.torch.sampling.DdimScheduler;
import io.ptinv.torch.sampling.Guidance;
import io.ptinv.torch.sampling.StageProgress;
import io.ptinv.torch.unet.AttentionControl;
import io.ptinv.torch.unet.Conditioning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Checks the model stack against the reference tensors of a golden folder (see its README): the tiny
 * random-weight model loaded from the diffusers folder and from the single-file checkpoint, in fp32 on CPU.
 * Every row's tolerance comes from the folder's {@code tolerances.json}; a row the reference (or the
 * tolerance file) lacks is reported as SKIP, and a tolerance row this suite does not know as UNKNOWN.
 */
public final class ParitySuite {
  /** Steps of the single-step checks' schedule (the README's 50-step DDIM). */
  private static final int STEPS = 50;
  /** Steps of the PTI checks when the reference does not say (the README's n = 10). */
  private static final int PTI_STEPS = 10;
  private static final double PTI_GUIDANCE = 7.5;
  private static final double PTI_ADAM_LR = 0.1;
  private static final int PTI_SGD_INNER_STEPS = 2;
  private static final double EDIT_ETA = 0.9;
  /** The README's sentence naming the edit's target prompt: {@code embedding c* of "…"}. */
  private static final Pattern TARGET_PROMPT = Pattern.compile("embedding c\\*? of \"([^\"]*)\"");

  private final Path goldenDir;
  private final ComputeDevice device;

  /** The checks on the CPU. */
  public ParitySuite(Path goldenDir) {
    this(goldenDir, ComputeDevice.CPU);
  }

  /** The checks with the model in fp32 on {@code device}; inputs go there, outputs are compared on the CPU. */
  public ParitySuite(Path goldenDir, ComputeDevice device) {
    this.goldenDir = goldenDir;
    this.device = device;
  }

  /** Every row for the folder, then for the single file, then the tolerance rows no check covered. */
  public List<ParityRow> run() {
    Path folder = goldenDir.resolve("tiny-sd");
    Path single = goldenDir.resolve("tiny-sd.single-file.safetensors");
    Path ref = goldenDir.resolve("tiny-sd.reference.safetensors");
    for (Path p : List.of(folder, single, ref)) {
      if (!Files.exists(p)) {
        throw new ModelLoadException(p + ": missing; expected the golden folder layout of shared/golden/README.md");
      }
    }
    ParityTolerances tolerances = ParityTolerances.read(goldenDir.resolve("tolerances.json"));
    LoadOptions fp32 = new LoadOptions(device, Precision.FP32, null, null);
    List<ParityRow> rows = new ArrayList<>();
    Set<String> known = new LinkedHashSet<>();
    try (SafeTensorsFile reference = SafeTensorsFile.open(ref)) {
      try (StableDiffusion model = StableDiffusion.load(folder, fp32)) {
        rows.addAll(check("folder", model, reference, tolerances, known));
      }
      try (StableDiffusion model = StableDiffusion.load(single, fp32.withConfigDir(folder))) {
        rows.addAll(check("single-file", model, reference, tolerances, known));
      }
    }
    for (String key : tolerances.rows().keySet()) {
      if (!known.contains(key)) {
        rows.add(new ParityRow(key, Double.NaN, Double.NaN, ParityRow.Status.UNKNOWN,
            "tolerances.json lists it; this version of ptinv has no check for it"));
      }
    }
    return rows;
  }

  private List<ParityRow> check(String prefix, StableDiffusion model, SafeTensorsFile ref, ParityTolerances tolerances,
      Set<String> known) {
    Checker c = new Checker(prefix, ref, tolerances, device);
    try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
      c.section(List.of("text.ids", "text.hidden"), () -> checkText(c, model));
      c.section(List.of("vae.latent_mean", "vae.latent_logvar", "vae.z0_scaled", "vae.decoded"), () -> checkVae(c, model));
      c.section(List.of("unet.eps.t1", "unet.eps.t261", "unet.eps.t981", "unet.eps_cfg7.5.t501", "unet.perlayer.eps.t501"),
          () -> checkUnet(c, model));
      c.section(List.of("ddim.timesteps50", "ddim.alphas_cumprod", "ddim.step.t501.out", "ddim.invstep.t521.eps",
          "ddim.invstep.t521.out"), () -> checkDdim(c, model));
      c.section(List.of("pti.edit.target_cond"), () -> checkTargetPrompt(c, model));
    }
    try (PointerScope scope = new PointerScope()) {
      c.section(List.of("grad.loss", "grad.d_cond"), () -> checkGradient(c, model));
    }
    try (PointerScope scope = new PointerScope()) {
      c.section(List.of("pti.inversion", "pti.embeddings", "pti.reconstruction", "pti.edit.eta0.9"),
          () -> checkPti(c, model, "pti", OptimizerKind.ADAM, 1, PTI_ADAM_LR));
    }
    try (PointerScope scope = new PointerScope()) {
      c.section(List.of("pti_sgd.embeddings", "pti_sgd.reconstruction", "pti_sgd.edit.eta0.9"),
          () -> checkPti(c, model, "pti_sgd", OptimizerKind.SGD, PTI_SGD_INNER_STEPS, c.scalar("pti_sgd.lr")));
    }
    known.addAll(c.known);
    return c.rows;
  }

  private void checkText(Checker c, StableDiffusion model) {
    JsonNode cases;
    try {
      cases = new ObjectMapper().readTree(goldenDir.resolve("tokenizer-cases.json").toFile());
    } catch (IOException e) {
      throw new ModelLoadException("cannot read tokenizer-cases.json: " + e.getMessage(), e);
    }
    long[][] encoded = new long[cases.size()][];
    for (int i = 0; i < cases.size(); i++) {
      encoded[i] = model.tokenizer().encode(cases.get(i).get("text").asText());
    }
    int length = encoded.length == 0 ? 0 : encoded[0].length;
    long[] ids = new long[encoded.length * length];
    for (int i = 0; i < encoded.length; i++) {
      System.arraycopy(encoded[i], 0, ids, i * length, length);
    }
    Tensor ours = Tensor.create(ids, encoded.length, length);
    c.check("text.ids", ours);
    c.check("text.hidden", model.textEncoder().forward(ours));
  }

  private void checkVae(Checker c, StableDiffusion model) {
    var posterior = model.vae().encode(c.ref("vae.image"));
    c.check("vae.latent_mean", posterior.mean());
    c.check("vae.latent_logvar", posterior.logvar());
    c.check("vae.z0_scaled", model.vae().encodeLatent(c.ref("vae.image")));
    c.check("vae.decoded", model.vae().decodeLatent(c.ref("vae.z0_scaled")));
  }

  private void checkUnet(Checker c, StableDiffusion model) {
    Tensor sample = c.ref("unet.sample");
    Conditioning cond = Conditioning.shared(c.ref("unet.cond"));
    for (int t : new int[] {1, 261, 981}) {
      c.check("unet.eps.t" + t, model.unet().forward(sample, t, cond));
    }
    c.check("unet.eps_cfg7.5.t501",
        Guidance.eps(model.unet(), sample, 501, c.ref("unet.uncond"), cond, 7.5, AttentionControl.NONE));
    Tensor contexts = c.ref("unet.perlayer.contexts");
    List<Tensor> perLayer = new ArrayList<>();
    for (int i = 0; i < contexts.size(0); i++) {
      perLayer.add(contexts.narrow(0, i, 1));
    }
    c.check("unet.perlayer.eps.t501", model.unet().forward(sample, 501, Conditioning.perLayer(perLayer)));
  }

  private void checkDdim(Checker c, StableDiffusion model) {
    DdimScheduler ddim = new DdimScheduler(model.schedule(), STEPS);
    c.check("ddim.timesteps50", timesteps(ddim));
    c.check("ddim.alphas_cumprod", Tensor.create(model.schedule().alphasCumprod(), model.schedule().alphasCumprod().length));
    Tensor sample = c.ref("unet.sample");
    c.check("ddim.step.t501.out", ddim.step(sample, c.ref("unet.eps_cfg7.5.t501"), 501));
    Tensor eps = model.unet().forward(sample, 521, Conditioning.shared(c.ref("unet.uncond")));
    c.check("ddim.invstep.t521.eps", eps);
    c.check("ddim.invstep.t521.out", ddim.invertStep(sample, eps, 521));
  }

  /** c* of the edit's target prompt, which the golden README names ("embedding c* of "…""). */
  private void checkTargetPrompt(Checker c, StableDiffusion model) {
    Optional<String> prompt = targetPrompt();
    if (prompt.isEmpty()) {
      c.skip("pti.edit.target_cond", "the golden README names no target prompt (\"embedding c* of \\\"...\\\"\")");
      return;
    }
    c.check("pti.edit.target_cond", model.encodePrompt(prompt.get()), "\"" + prompt.get() + "\"");
  }

  /** loss = mean((DDIM_step(sample, CFG 7.5 eps at t = 501 with cond c) - target)^2) and dloss/dc. */
  private void checkGradient(Checker c, StableDiffusion model) {
    DdimScheduler ddim = new DdimScheduler(model.schedule(), STEPS);
    Tensor cond = c.ref("unet.cond").clone().requires_grad_(true);
    Tensor eps = Guidance.eps(model.unet(), c.ref("unet.sample"), 501, c.ref("unet.uncond"), Conditioning.shared(cond), 7.5,
        AttentionControl.NONE);
    Tensor loss = torch.mse_loss(ddim.step(c.ref("unet.sample"), eps, 501), c.ref("grad.target"), 1);
    loss.backward();
    c.check("grad.loss", loss);
    c.check("grad.d_cond", cond.grad());
  }

  /**
   * PTI with n steps (README: n = 10; read from the reference rows; {@code pti.*} and {@code pti_sgd.*}): DDIM
   * inversion (w = 0) of the VAE latent, then per timestep {@code innerSteps} steps of {@code optimizer} on the
   * conditional embedding, starting from {@code unet.cond} and carried over, w = 7.5; row i of the embeddings is c
   * after timestep i. The edit towards {@code pti.edit.target_cond} with eta = 0.9 conditions step i on row i.
   */
  private void checkPti(Checker c, StableDiffusion model, String group, OptimizerKind optimizer, int innerSteps,
      double lr) {
    int steps = ptiSteps(c, group);
    InversionOptions options = InversionOptions.builder().steps(steps).guidanceScale(PTI_GUIDANCE)
        .innerSteps(innerSteps).learningRate(lr).optimizer(optimizer).build();
    DdimScheduler ddim = new DdimScheduler(model.schedule(), steps);
    Tensor uncond = c.ref("unet.uncond");
    List<Tensor> latents = DdimInversion.invert(model.unet(), ddim, c.ref("vae.z0_scaled"), uncond, () -> {});
    if (group.equals("pti")) {
      c.check("pti.inversion", cat(latents));
    }
    PerTimestepTuning.Result tuned = PerTimestepTuning.tune(model.unet(), ddim, latents, c.ref("unet.cond"), uncond,
        PTI_GUIDANCE, TuningPlan.pti(options), (i, j, loss) -> {});
    String label = optimizer + ", N = " + innerSteps + ", lr " + lr;
    c.checkRows(group + ".embeddings", cat(tuned.cond()), ddim.timesteps(), label);
    c.check(group + ".reconstruction", tuned.reconstruction(), label);
    try (TorchTrajectory trajectory = new TorchTrajectory(model.schedule(), options, "golden source prompt",
        model.modelId(), latents, tuned.cond(), tuned.uncond())) {
      Tensor edited = EditSampler.sample(model, trajectory, c.ref("pti.edit.target_cond"), EDIT_ETA,
          EditOptions.Interpolation.CONDITION, EditControls.NONE, new StageProgress(ProgressListener.NONE));
      c.check(group + ".edit.eta0.9", edited, label + "; step i uses row i");
    }
  }

  /**
   * n of a PTI group: the reference's rows say it (one embedding per timestep; the inversion holds n + 1 latents),
   * the README's 10 when it has neither.
   */
  private static int ptiSteps(Checker c, String group) {
    // from the file's header: the tensors themselves are read once, when compared
    if (c.ref.contains(group + ".embeddings")) {
      return (int) c.ref.entries().get(group + ".embeddings").shape()[0];
    }
    if (c.ref.contains("pti.inversion")) {
      return (int) c.ref.entries().get("pti.inversion").shape()[0] - 1;
    }
    return PTI_STEPS;
  }

  private static Tensor cat(List<Tensor> tensors) {
    return torch.cat(new TensorVector(tensors.toArray(new Tensor[0])), 0);
  }

  private static Tensor timesteps(DdimScheduler ddim) {
    int[] ts = ddim.timesteps();
    long[] tsLong = new long[ts.length];
    for (int i = 0; i < ts.length; i++) {
      tsLong[i] = ts[i];
    }
    return Tensor.create(tsLong, ts.length);
  }

  private Optional<String> targetPrompt() {
    Path readme = goldenDir.resolve("README.md");
    try {
      Matcher m = TARGET_PROMPT.matcher(Files.readString(readme));
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A reference row that a check needs as input is not in the reference file. */
  private static final class MissingInput extends RuntimeException {
    MissingInput(String key) {
      super(key, null, false, false);
    }
  }

  /** Compares against reference tensors, with the tolerances of tolerances.json, and collects rows. */
  private static final class Checker {
    final String prefix;
    final SafeTensorsFile ref;
    final ParityTolerances tolerances;
    final List<ParityRow> rows = new ArrayList<>();
    final Set<String> known = new LinkedHashSet<>();
    final ComputeDevice device;

    Checker(String prefix, SafeTensorsFile ref, ParityTolerances tolerances, ComputeDevice device) {
      this.prefix = prefix;
      this.ref = ref;
      this.tolerances = tolerances;
      this.device = device;
    }

    /** An input row as fp32 on the device; a missing one ends the current section, its unchecked rows reported as SKIP. */
    Tensor ref(String key) {
      if (!ref.contains(key)) {
        throw new MissingInput(key);
      }
      return ref.read(key).to(device.toTorch(), torch.ScalarType.Float);
    }

    double scalar(String key) {
      return ref(key).item_double();
    }

    /** Runs {@code body}; if an input is missing, each of {@code outputs} it did not report yet becomes SKIP. */
    void section(List<String> outputs, Runnable body) {
      known.addAll(outputs);
      try {
        body.run();
      } catch (MissingInput e) {
        for (String key : outputs) {
          if (rows.stream().noneMatch(r -> r.name().equals(prefix + "/" + key))) {
            skip(key, "the reference file lacks its input " + e.getMessage());
          }
        }
      }
    }

    void skip(String key, String why) {
      rows.add(new ParityRow(prefix + "/" + key, Double.NaN, Double.NaN, ParityRow.Status.SKIP, why));
    }

    void check(String key, Tensor ours) {
      check(key, ours, "");
    }

    /** One row, compared as tolerances.json says; SKIP where the reference or the tolerance file lacks it. */
    void check(String key, Tensor ours, String note) {
      comparable(key, ours).ifPresent(c ->
          rows.add(row(key, Tensors.toDoubles(ours), Tensors.toDoubles(c.theirs()), c.tolerance(), note)));
    }

    /** The reference row and its tolerance, or empty after a SKIP (missing row or tolerance) or FAIL (shape) row. */
    private Optional<Comparison> comparable(String key, Tensor ours) {
      Optional<ParityTolerances.Tolerance> tol = tolerance(key);
      if (tol.isEmpty()) {
        return Optional.empty();
      }
      Tensor theirs = ref.read(key);
      return sameShape(key, ours, theirs) ? Optional.of(new Comparison(tol.get(), theirs)) : Optional.empty();
    }

    private record Comparison(ParityTolerances.Tolerance tolerance, Tensor theirs) {}

    /**
     * A stacked tensor compared row by row (row i against reference row i, each within the tolerance): one line
     * per row, labelled with its timestep, then the row itself with the worst row's errors.
     */
    void checkRows(String key, Tensor ours, int[] timesteps, String note) {
      Optional<Comparison> c = comparable(key, ours);
      if (c.isEmpty()) {
        return;
      }
      Tensor theirs = c.get().theirs();
      ParityTolerances.Tolerance tol = c.get().tolerance();
      List<ParityRow> perRow = new ArrayList<>();
      for (int i = 0; i < ours.size(0); i++) {
        perRow.add(row(key + "[" + i + "]", Tensors.toDoubles(ours.narrow(0, i, 1)),
            Tensors.toDoubles(theirs.narrow(0, i, 1)), tol, i < timesteps.length ? "t=" + timesteps[i] : ""));
      }
      ToDoubleFunction<ParityRow> measure = tol.kind() == ParityTolerances.Kind.REL
          ? ParityRow::relError : ParityRow::maxAbsError;
      ParityRow worst = perRow.stream().max(Comparator.comparing((ParityRow r) -> r.status() == ParityRow.Status.FAIL)
          .thenComparingDouble(measure)).orElseThrow();
      boolean allPass = perRow.stream().allMatch(r -> r.status() == ParityRow.Status.PASS);
      rows.add(new ParityRow(prefix + "/" + key, worst.maxAbsError(), worst.relError(),
          allPass ? ParityRow.Status.PASS : ParityRow.Status.FAIL,
          tol + " per row; worst " + worst.name().substring(prefix.length() + 1) + (note.isEmpty() ? "" : "; " + note)));
      rows.addAll(perRow);
    }

    /** Shapes equal up to dimensions of size 1 (a scalar loss against a reference of shape [1]); else a FAIL row. */
    private boolean sameShape(String key, Tensor ours, Tensor theirs) {
      if (Arrays.equals(withoutOnes(ours.shape()), withoutOnes(theirs.shape()))) {
        return true;
      }
      rows.add(new ParityRow(prefix + "/" + key, Double.NaN, Double.NaN, ParityRow.Status.FAIL,
          "shape " + Arrays.toString(ours.shape()) + ", reference " + Arrays.toString(theirs.shape())));
      return false;
    }

    private static long[] withoutOnes(long[] shape) {
      return Arrays.stream(shape).filter(d -> d != 1).toArray();
    }

    private Optional<ParityTolerances.Tolerance> tolerance(String key) {
      known.add(key);
      if (!ref.contains(key)) {
        skip(key, "the reference file lacks this row");
        return Optional.empty();
      }
      Optional<ParityTolerances.Tolerance> tol = tolerances.of(key);
      if (tol.isEmpty()) {
        skip(key, "tolerances.json gives no tolerance for this row");
      }
      return tol;
    }

    private ParityRow row(String key, double[] a, double[] b, ParityTolerances.Tolerance tol, String note) {
      double maxAbs = 0;
      double num = 0;
      double den = 0;
      for (int i = 0; i < a.length; i++) {
        double d = a[i] - b[i];
        maxAbs = Math.max(maxAbs, Math.abs(d));
        num += d * d;
        den += b[i] * b[i];
      }
      if (Double.isNaN(maxAbs)) {
        maxAbs = Double.POSITIVE_INFINITY;
      }
      double rel = Math.sqrt(num / Math.max(den, 1e-30));
      return new ParityRow(prefix + "/" + key, maxAbs, rel,
          tol.accepts(maxAbs, rel) ? ParityRow.Status.PASS : ParityRow.Status.FAIL,
          tol + (note.isEmpty() ? "" : "; " + note));
    }
  }
}
