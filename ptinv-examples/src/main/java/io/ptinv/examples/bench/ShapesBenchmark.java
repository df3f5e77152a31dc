package io.ptinv.examples.bench;

import io.ptinv.EditOptions;
import io.ptinv.InversionMethod;
import io.ptinv.InversionOptions;
import io.ptinv.ProgressListener;
import io.ptinv.eval.EvalImage;
import io.ptinv.eval.MaskConvention;
import io.ptinv.eval.PixelMetrics;
import io.ptinv.eval.ReconstructionRun;
import io.ptinv.examples.shapes.Palette;
import io.ptinv.examples.shapes.ShapeAnalyzer;
import io.ptinv.examples.shapes.ShapeKind;
import io.ptinv.examples.shapes.ShapeSample;
import io.ptinv.examples.shapes.ShapesDataset;
import io.ptinv.image.SizePolicy;
import io.ptinv.torch.editing.PtiEditor;
import io.ptinv.torch.inversion.TorchTrajectory;
import io.ptinv.torch.sampling.InitialNoise;
import io.ptinv.torch.sampling.TextToImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Measures the shapes model with the analyser: generation accuracy, reconstruction fidelity per inversion
 * method, and editing success against unedited-region fidelity per method and eta. Every case is seeded.
 */
public final class ShapesBenchmark {
  private final PtiEditor editor;
  private final InversionOptions base;
  private final long seed;
  private final Set<Method> methods;
  private Progress progress = (section, done, total) -> {};
  private List<Double> blendThresholds = List.of(EditOptions.DEFAULT_BLEND_THRESHOLD);
  private InitialNoise initialNoise = InitialNoise.GAUSSIAN;
  private int firstCase;

  /** Told after every case of a section ({@code generation}, {@code reconstruction}, {@code editing}). */
  public interface Progress {
    void onCase(String section, int done, int total);
  }

  /** Reports each finished case to {@code progress}. */
  public ShapesBenchmark withProgress(Progress progress) {
    this.progress = progress;
    return this;
  }

  /**
   * Measures local blending at each of these mask thresholds (default: {@link
   * EditOptions#DEFAULT_BLEND_THRESHOLD}); with more than one, each gets its own rows, labelled with its τ.
   */
  public ShapesBenchmark withBlendThresholds(List<Double> thresholds) {
    com.google.common.base.Preconditions.checkArgument(!thresholds.isEmpty(), "no blend threshold");
    this.blendThresholds = List.copyOf(thresholds);
    return this;
  }

  /**
   * Starts every section at case {@code first} (default 0). Cases are seeded by their index, so runs over
   * disjoint ranges measure the same cases as one longer run.
   */
  public ShapesBenchmark withFirstCase(int first) {
    com.google.common.base.Preconditions.checkArgument(first >= 0, "first case %s < 0", first);
    this.firstCase = first;
    return this;
  }

  /** Generation draws its starting latents this way (default Gaussian). */
  public ShapesBenchmark withInitialNoise(InitialNoise noise) {
    this.initialNoise = noise;
    return this;
  }

  /**
   * @param base steps and guidance for every method (the paper's: 50 steps, w = 7.5)
   * @param methods the methods to measure (each in the rows it applies to)
   */
  public ShapesBenchmark(PtiEditor editor, InversionOptions base, long seed, Set<Method> methods) {
    this.editor = editor;
    this.base = base.toBuilder().sizePolicy(SizePolicy.reject()).build();
    this.seed = seed;
    this.methods = methods.isEmpty() ? EnumSet.noneOf(Method.class) : EnumSet.copyOf(methods);
  }

  /** One generated caption: what was asked and what the analyser found ({@code null} where nothing was found). */
  public record GeneratedCase(String caption, long seed, Palette askedColor, ShapeKind askedShape,
      Palette askedBackground, Palette color, ShapeKind shape, Palette background) {
    public boolean colorCorrect() {
      return color == askedColor;
    }

    public boolean shapeCorrect() {
      return shape == askedShape;
    }

    public boolean backgroundCorrect() {
      return background == askedBackground;
    }

    public boolean correct() {
      return colorCorrect() && shapeCorrect() && backgroundCorrect();
    }
  }

  /** Generation results, case by case. */
  public record Generation(List<GeneratedCase> results, double secondsPerImage) {
    public Generation {
      results = List.copyOf(results);
    }

    public int cases() {
      return results.size();
    }

    public int correct() {
      return count(GeneratedCase::correct);
    }

    public int colorCorrect() {
      return count(GeneratedCase::colorCorrect);
    }

    public int shapeCorrect() {
      return count(GeneratedCase::shapeCorrect);
    }

    public int backgroundCorrect() {
      return count(GeneratedCase::backgroundCorrect);
    }

    public double accuracy() {
      return (double) correct() / cases();
    }

    private int count(java.util.function.Predicate<GeneratedCase> p) {
      return (int) results.stream().filter(p).count();
    }
  }

  public record Reconstruction(String method, double psnr, double ssim, double secondsPerImage) {}

  /**
   * One method x edit type x eta over {@code cases} images.
   *
   * @param measuredCases the cases whose unchanged region is not empty (the PSNR/SSIM means are over these)
   * @param inversionSeconds mean seconds of one inversion this method needs (DDIM and NTI: one per image, shared by
   *     the three edit types; PTI and TODInv: one per edit)
   * @param editSeconds mean seconds of one edit (sampling and decoding) at one eta
   */
  public record Edit(String method, String type, double eta, int cases, double successRate, double unchangedPsnr,
      double unchangedSsim, int measuredCases, double inversionSeconds, double editSeconds) {}

  /** Caption to image for {@code n} seeded captions; correct when colour, shape and background all match. */
  public Generation generation(int n) {
    ShapesDataset captions = new ShapesDataset(seed + 17);
    List<GeneratedCase> results = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int k = firstCase + i;
      ShapeSample s = captions.sample(k);
      BufferedImage img = TextToImage.generate(editor.model(), s.caption(), "", base.steps(), base.guidanceScale(),
          seed + k, ShapesDataset.SIZE, ShapesDataset.SIZE, initialNoise, ProgressListener.NONE);
      ShapeAnalyzer.Analysis a = ShapeAnalyzer.analyze(img);
      results.add(new GeneratedCase(s.caption(), seed + k, s.color(), s.shape(), s.background(), a.color(), a.shape(),
          a.background()));
      progress.onCase("generation", i + 1, n);
    }
    return new Generation(results, (System.nanoTime() - t0) / 1e9 / n);
  }

  /** PSNR/SSIM of each method's eta = 0 reconstruction (and the VAE alone) over {@code n} images. */
  public List<Reconstruction> reconstruction(int n) {
    List<Reconstruction> rows = new ArrayList<>();
    for (Method m : selected(Method.VAE, Method.DDIM, Method.NTI, Method.PTI, Method.PTI5, Method.TODINV,
        Method.TODINV_UNGUIDED, Method.TODINV_SHARED)) {
      // one implementation of each reconstruction: the evaluation module's (the VAE round trip under base's REJECT
      // size policy, or inversion + the eta = 0 edit)
      ReconstructionRun.Method r = ReconstructionRun.Method.valueOf(m.name());
      rows.add(measure(r.label(), n, s -> r.reconstruct(editor, s.image(), s.caption(), base)));
    }
    return rows;
  }

  /** Identical parts would give +inf and spoil the means: the benchmark caps PSNR at this many dB. */
  static final double PSNR_CAP = 100;

  /**
   * The evaluation module's PSNR over {@code region} (null: the whole image) as a true masked mean, capped at
   * {@value #PSNR_CAP} dB; NaN for an empty region.
   */
  static double psnr(BufferedImage a, BufferedImage b, boolean[] region) {
    return Math.min(PSNR_CAP, PixelMetrics.psnr(EvalImage.of(a), EvalImage.of(b), region, MaskConvention.MASKED_MEAN).value());
  }

  /** The evaluation module's SSIM (torchmetrics' form, RGB) averaged over window centres in {@code region}; NaN if none. */
  static double ssim(BufferedImage a, BufferedImage b, boolean[] region) {
    return PixelMetrics.ssim(EvalImage.of(a), EvalImage.of(b), region, MaskConvention.MASKED_MEAN).value();
  }

  private Reconstruction measure(String label, int n, java.util.function.Function<ShapeSample, BufferedImage> run) {
    ShapesDataset data = new ShapesDataset(seed + 29);
    double psnr = 0;
    double ssim = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      ShapeSample s = data.sample(firstCase + i);
      BufferedImage out = run.apply(s);
      psnr += psnr(s.image(), out, null);
      ssim += ssim(s.image(), out, null);
      progress.onCase("reconstruction: " + label, i + 1, n);
    }
    return new Reconstruction(label, psnr / n, ssim / n, (System.nanoTime() - t0) / 1e9 / n);
  }

  /**
   * Every method x edit type x eta over {@code n} seeded source images. DDIM and NTI invert each image
   * once with its own caption; PTI tunes the target prompt's embedding (c_T = c*, as the paper does), once
   * per edit, and its local-blending variant edits the same trajectory.
   */
  public List<Edit> editing(int n, List<Double> etas) {
    List<Edit> rows = new ArrayList<>();
    ShapesDataset data = new ShapesDataset(seed + 41);
    List<Variant> variants = variants();
    boolean tunes = this.methods.contains(Method.PTI) || this.methods.contains(Method.PTI_BLEND);
    // per variant, type, eta: successes, PSNR sum, SSIM sum, cases with a non-empty unchanged region
    double[][][][] acc = new double[variants.size()][EditCase.TYPES.size()][etas.size()][4];
    // per variant, type: inversion seconds, inversions, edit seconds (all etas)
    double[][][] time = new double[variants.size()][EditCase.TYPES.size()][3];
    for (int i = 0; i < n; i++) {
      ShapeSample s = data.sample(firstCase + i);
      SplittableRandom rng = new SplittableRandom(seed * 13 + firstCase + i);
      ShapeAnalyzer.Analysis before = ShapeAnalyzer.analyze(s.image());
      // TODInv inverts with the source caption; the target only decides the task. Variants and edit types that
      // invert alike (same task, loss and space) share one inversion of the image.
      java.util.Map<InversionOptions, Timed> todinv = new java.util.HashMap<>();
      try (Timed ddim = methods.contains(Method.DDIM) || methods.contains(Method.DDIM_P2P)
              ? Timed.of(() -> invert(Method.DDIM, s, s.caption())) : null;
          Timed nti = methods.contains(Method.NTI) || methods.contains(Method.NTI_P2P)
              ? Timed.of(() -> invert(Method.NTI, s, s.caption())) : null) {
        for (int ty = 0; ty < EditCase.TYPES.size(); ty++) {
          EditCase c = EditCase.of(s, EditCase.TYPES.get(ty), rng);
          try (Timed pti = tunes ? Timed.of(() -> invert(Method.PTI, s, c.targetCaption())) : null) {
            for (int v = 0; v < variants.size(); v++) {
              Variant variant = variants.get(v);
              Timed t = switch (variant.method()) {
                case DDIM, DDIM_P2P -> ddim;
                case NTI, NTI_P2P -> nti;
                case TODINV, TODINV_PLAIN, TODINV_REVERSE, TODINV_ALL, TODINV_UNGUIDED, TODINV_SHARED ->
                    todinv.computeIfAbsent(todinvOptions(variant.method(), s, c),
                        o -> Timed.of(() -> editor.invert(s.image(), s.caption(), c.targetCaption(), o,
                            ProgressListener.NONE)));
                default -> pti;
              };
              EditOptions.Builder options = EditOptions.builder().inversion(t.trajectory().options());
              if (variant.method().blend) {
                options.localBlend(c.blendWords()).blendThreshold(variant.blendThreshold());
              }
              if (variant.method().p2p) {
                options.p2p(io.ptinv.P2pOptions.defaults());
              }
              long e0 = System.nanoTime();
              List<BufferedImage> edits = editor.edits(t.trajectory(), c.targetCaption(), etas, options.build(),
                  ProgressListener.NONE);
              time[v][ty][2] += (System.nanoTime() - e0) / 1e9;
              time[v][ty][0] += t.seconds();
              time[v][ty][1]++;
              for (int e = 0; e < etas.size(); e++) {
                BufferedImage out = edits.get(e);
                ShapeAnalyzer.Analysis after = ShapeAnalyzer.analyze(out);
                boolean[] region = c.unchangedRegion(before.mask(), after.mask(), out.getWidth(), out.getHeight());
                acc[v][ty][e][0] += c.succeeded(after) ? 1 : 0;
                double psnr = psnr(s.image(), out, region);
                double ssim = ssim(s.image(), out, region);
                // an edit whose shape fills the image leaves no unchanged region (or none where an SSIM window fits)
                if (Double.isFinite(psnr) && Double.isFinite(ssim)) {
                  acc[v][ty][e][1] += psnr;
                  acc[v][ty][e][2] += ssim;
                  acc[v][ty][e][3]++;
                }
              }
            }
          }
        }
      } finally {
        todinv.values().forEach(Timed::close);
      }
      progress.onCase("editing", i + 1, n);
    }
    for (int v = 0; v < variants.size(); v++) {
      for (int ty = 0; ty < EditCase.TYPES.size(); ty++) {
        double[] tm = time[v][ty];
        double inversion = tm[1] == 0 ? Double.NaN : tm[0] / tm[1];
        double edit = tm[1] == 0 ? Double.NaN : tm[2] / tm[1] / etas.size();
        for (int e = 0; e < etas.size(); e++) {
          double[] a = acc[v][ty][e];
          rows.add(new Edit(variants.get(v).label(), EditCase.TYPES.get(ty), etas.get(e), n, a[0] / n,
              a[3] == 0 ? Double.NaN : a[1] / a[3], a[3] == 0 ? Double.NaN : a[2] / a[3], (int) a[3],
              inversion, edit));
        }
      }
    }
    return rows;
  }

  /** A trajectory and the seconds its inversion took; closing it frees the trajectory. */
  private record Timed(TorchTrajectory trajectory, double seconds) implements AutoCloseable {
    static Timed of(java.util.function.Supplier<TorchTrajectory> inversion) {
      long t0 = System.nanoTime();
      TorchTrajectory t = inversion.get();
      return new Timed(t, (System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() {
      trajectory.close();
    }
  }

  /** A measured way of editing: a method and, for local blending, the mask threshold. */
  private record Variant(Method method, double blendThreshold, String label) {}

  private List<Variant> variants() {
    List<Variant> variants = new ArrayList<>();
    for (Method m : selected(Method.DDIM, Method.NTI, Method.PTI, Method.PTI_BLEND, Method.DDIM_P2P, Method.NTI_P2P,
        Method.TODINV, Method.TODINV_PLAIN, Method.TODINV_REVERSE, Method.TODINV_ALL, Method.TODINV_UNGUIDED,
        Method.TODINV_SHARED)) {
      if (!m.blend) {
        variants.add(new Variant(m, Double.NaN, m.label));
        continue;
      }
      for (double tau : blendThresholds) {
        String label = blendThresholds.size() == 1 ? m.label : String.format(java.util.Locale.ROOT, "%s τ=%.2f", m.label, tau);
        variants.add(new Variant(m, tau, label));
      }
    }
    return variants;
  }

  private Method[] selected(Method... candidates) {
    return java.util.Arrays.stream(candidates).filter(methods::contains).toArray(Method[]::new);
  }

  /**
   * TODInv's settings for a case: the task decided from the captions, swapped for the "Reverse" ablation (appearance
   * and structure exchanged; global stays), or GLOBAL for "w/o TOPO" (all layers); the loss and space of the variant.
   */
  private InversionOptions todinvOptions(Method m, ShapeSample s, EditCase c) {
    io.ptinv.EditTask task = io.ptinv.EditTask.classify(s.caption(), c.targetCaption()).task();
    if (m == Method.TODINV_REVERSE) {
      task = switch (task) {
        case APPEARANCE -> io.ptinv.EditTask.STRUCTURE;
        case STRUCTURE -> io.ptinv.EditTask.APPEARANCE;
        case GLOBAL -> io.ptinv.EditTask.GLOBAL;
      };
    } else if (m == Method.TODINV_ALL) {
      task = io.ptinv.EditTask.GLOBAL;
    }
    InversionOptions options = m.options(base);
    return options.toBuilder().todinv(options.todinv().withTask(task)).build();
  }

  private TorchTrajectory invert(Method m, ShapeSample s, String caption) {
    return editor.invert(s.image(), caption, m.options(base), ProgressListener.NONE);
  }

  /**
   * The compared methods (on the command line: vae, ddim, nti, pti, pti5, pti-blend, ddim-p2p, nti-p2p, todinv,
   * todinv-plain, todinv-reverse, todinv-all, todinv-unguided, todinv-shared).
   */
  public enum Method {
    VAE("VAE only", null, 0, false),
    DDIM("DDIM-Edit", InversionMethod.DDIM, 1, false),
    NTI("NTI", InversionMethod.NTI, 1, false),
    PTI("PTI N=1", InversionMethod.PTI, 1, false),
    PTI5("PTI N=5", InversionMethod.PTI, 5, false),
    PTI_BLEND("PTI + local blend", InversionMethod.PTI, 1, true),
    DDIM_P2P("DDIM + P2P", InversionMethod.DDIM, 1, false, true),
    NTI_P2P("NTI + P2P", InversionMethod.NTI, 1, false, true),
    TODINV("TODInv + P2P", InversionMethod.TODINV, 1, false, true),
    TODINV_PLAIN("TODInv, plain sampling", InversionMethod.TODINV, 1, false, false),
    TODINV_REVERSE("TODInv + P2P, task reversed", InversionMethod.TODINV, 1, false, true),
    TODINV_ALL("TODInv + P2P, all layers (w/o TOPO)", InversionMethod.TODINV, 1, false, true),
    TODINV_UNGUIDED("TODInv + P2P, unguided loss", InversionMethod.TODINV, 1, false, true),
    TODINV_SHARED("TODInv + P2P, one shared embedding", InversionMethod.TODINV, 1, false, true);

    final String label;
    final InversionMethod method;
    final int innerSteps;
    final boolean blend;
    final boolean p2p;

    Method(String label, InversionMethod method, int innerSteps, boolean blend) {
      this(label, method, innerSteps, blend, false);
    }

    Method(String label, InversionMethod method, int innerSteps, boolean blend, boolean p2p) {
      this.label = label;
      this.method = method;
      this.innerSteps = innerSteps;
      this.blend = blend;
      this.p2p = p2p;
    }

    InversionOptions options(InversionOptions base) {
      InversionOptions.Builder b = base.toBuilder().method(method).innerSteps(innerSteps);
      if (method == InversionMethod.TODINV) {
        b.todinv(base.todinv().withGuided(this != TODINV_UNGUIDED).withSharedEmbedding(this == TODINV_SHARED));
      }
      return b.build();
    }
  }
}
