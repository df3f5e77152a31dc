package io.ptinv.torch;

import io.ptinv.ClosedException;
import io.ptinv.InvalidInputException;
import io.ptinv.ModelLoadException;
import io.ptinv.Schedule;
import io.ptinv.image.Images;
import io.ptinv.image.SizePolicy;
import io.ptinv.torch.io.LdmKeys;
import io.ptinv.torch.io.LoadedParams;
import io.ptinv.torch.io.ModelConfigs;
import io.ptinv.torch.io.ModelDefaults;
import io.ptinv.torch.io.RenamedSource;
import io.ptinv.torch.io.SafeTensorsFile;
import io.ptinv.torch.io.SingleFileConfigs;
import io.ptinv.torch.io.WeightSource;
import io.ptinv.torch.nn.ParamStore;
import io.ptinv.torch.nn.ShapeRecorder;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.ImageTensors;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.runtime.Scopes;
import io.ptinv.torch.runtime.Torch;
import io.ptinv.torch.text.ClipTextConfig;
import io.ptinv.torch.text.ClipTextModel;
import io.ptinv.torch.text.ClipTokenizer;
import io.ptinv.torch.unet.UNet2DConditionModel;
import io.ptinv.torch.unet.UNetConfig;
import io.ptinv.torch.vae.AutoencoderKL;
import io.ptinv.torch.vae.VaeConfig;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A loaded Stable Diffusion v1.x-family model: tokenizer, CLIP text encoder, VAE, UNet and schedule, on
 * one device. Loads a diffusers folder or a single-file checkpoint through the same modules. Holds native
 * weights: {@link #close()} frees them.
 */
public final class StableDiffusion implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StableDiffusion.class);
  private static final Set<String> IGNORABLE_TEXT = Set.of("text_model.embeddings.position_ids");

  private final ClipTokenizer tokenizer;
  private final ClipTextModel textEncoder;
  private final AutoencoderKL vae;
  private final UNet2DConditionModel unet;
  private final Schedule schedule;
  private final ComputeDevice device;
  private final Precision precision;
  private final String modelId;
  private final String source;
  private final List<ParamStore> weights;
  private final ModelDefaults defaults;
  private volatile boolean closed;
  /** Read: a call in progress ({@link #acquire}); write: {@link #close()}, which so waits for every such call. */
  private final ReentrantReadWriteLock usage = new ReentrantReadWriteLock();

  private StableDiffusion(Builder b) {
    this.tokenizer = b.tokenizer;
    this.textEncoder = b.textEncoder;
    this.vae = b.vae;
    this.unet = b.unet;
    this.schedule = b.schedule;
    this.device = b.options.device();
    this.precision = b.options.precision();
    this.modelId = b.modelId;
    this.source = b.source;
    this.weights = b.weights;
    this.defaults = b.defaults;
  }

  /** Loads a diffusers folder or a {@code .safetensors} single-file checkpoint with default options. */
  public static StableDiffusion load(Path path) {
    return load(path, LoadOptions.defaults());
  }

  /**
   * Loads a diffusers folder or a {@code .safetensors} single-file checkpoint (with {@link LoadOptions#configDir()}
   * for non-SD-v1 sizes) onto {@code options}' device in its precision.
   *
   * @throws io.ptinv.ModelLoadException naming the file and what was expected when the weights or configs do not fit
   */
  public static StableDiffusion load(Path path, LoadOptions options) {
    Torch.ensureLoaded();
    if (Files.isDirectory(path)) {
      return loadFolder(path, options);
    }
    if (Files.isRegularFile(path)) {
      return loadSingleFile(path, options);
    }
    throw new ModelLoadException(path + ": no such model folder or checkpoint file");
  }

  /**
   * A model with seeded random weights, for benchmarks and tests where timing and memory, not the images, matter.
   * The architecture comes from {@code configDir}'s {@code unet/}, {@code vae/} and {@code text_encoder/config.json}
   * (a diffusers folder; weights are not read), or SD v1's when {@code configDir} is null; the scheduler is the
   * folder's or SD's, the tokenizer the folder's or the bundled CLIP vocabulary.
   *
   * @param configDir a diffusers folder's configs, or null for SD v1.x (860M-parameter UNet, 512x512)
   * @param options device, precision and truncation ({@link LoadOptions#configDir()} is not used)
   * @param seed the weights' seed
   * @return the model; close it to free the weights
   */
  public static StableDiffusion randomWeights(Path configDir, LoadOptions options, long seed) {
    Torch.ensureLoaded();
    Builder b = new Builder(options, configDir == null ? "random weights, SD v1 architecture"
        : "random weights, architecture of " + configDir);
    try (PointerScope scope = new PointerScope()) {
      Architecture a = configDir == null ? Architecture.sdV1() : Architecture.read(configDir);
      if (configDir == null) {
        b.schedule = Schedule.stableDiffusion();
        b.tokenizer = ClipTokenizer.bundled(options.truncation());
      } else {
        Path sched = configDir.resolve("scheduler/scheduler_config.json");
        b.schedule = Files.isRegularFile(sched) ? ModelConfigs.schedule(sched) : Schedule.stableDiffusion();
        Path tok = configDir.resolve("tokenizer");
        b.tokenizer = Files.isDirectory(tok) ? ClipTokenizer.load(tok, options.truncation())
            : ClipTokenizer.bundled(options.truncation());
      }
      b.textEncoder = b.random(seed, p -> new ClipTextModel(p, a.text()), options.precision());
      b.vae = b.random(seed + 1, p -> new AutoencoderKL(p, a.vae()), Precision.FP32);
      b.unet = b.random(seed + 2, p -> new UNet2DConditionModel(p, a.unet()), options.precision());
      b.modelId = "random-" + seed;
      return new StableDiffusion(b);
    } catch (RuntimeException e) {
      b.releaseAll();
      throw e;
    }
  }

  private static StableDiffusion loadFolder(Path dir, LoadOptions options) {
    Builder b = new Builder(options, dir.toString());
    b.defaults = ModelDefaults.of(dir);
    try (PointerScope scope = new PointerScope();
        SafeTensorsFile unetFile = SafeTensorsFile.open(weightFile(dir, "unet", "diffusion_pytorch_model"));
        SafeTensorsFile vaeFile = SafeTensorsFile.open(weightFile(dir, "vae", "diffusion_pytorch_model"));
        SafeTensorsFile textFile = SafeTensorsFile.open(weightFile(dir, "text_encoder", "model"))) {
      b.schedule = ModelConfigs.schedule(dir.resolve("scheduler/scheduler_config.json"));
      b.tokenizer = ClipTokenizer.load(dir.resolve("tokenizer"), options.truncation());
      Architecture a = Architecture.read(dir);
      ClipTextConfig tc = a.text();
      VaeConfig vc = a.vae();
      UNetConfig uc = a.unet();
      b.textEncoder = b.build("text encoder", WeightSource.of(textFile), IGNORABLE_TEXT, p -> new ClipTextModel(p, tc), options.precision());
      b.vae = b.build("VAE", WeightSource.of(vaeFile), Set.of(), p -> new AutoencoderKL(p, vc), Precision.FP32);
      b.unet = b.build("UNet", WeightSource.of(unetFile), Set.of(), p -> new UNet2DConditionModel(p, uc), options.precision());
      b.modelId = identity(List.of(textFile, vaeFile, unetFile));
      return new StableDiffusion(b);
    } catch (RuntimeException e) {
      b.releaseAll();
      throw e;
    }
  }

  private static Path weightFile(Path dir, String component, String stem) {
    Path f = dir.resolve(component).resolve(stem + ".safetensors");
    if (!Files.isRegularFile(f)) {
      throw new ModelLoadException(f + ": missing (ptinv reads safetensors weights; convert .bin files first)");
    }
    return f;
  }

  private static StableDiffusion loadSingleFile(Path file, LoadOptions options) {
    Builder b = new Builder(options, file.toString());
    Path cfg = options.configDir();
    try (PointerScope scope = new PointerScope(); SafeTensorsFile f = SafeTensorsFile.open(file)) {
      b.schedule = cfg != null ? ModelConfigs.schedule(cfg.resolve("scheduler/scheduler_config.json")) : Schedule.stableDiffusion();
      b.tokenizer = cfg != null ? ClipTokenizer.load(cfg.resolve("tokenizer"), options.truncation())
          : ClipTokenizer.bundled(options.truncation());
      Architecture a = cfg != null ? Architecture.read(cfg)
          : new Architecture(SingleFileConfigs.text(f), SingleFileConfigs.vae(f), SingleFileConfigs.unet(f));
      ClipTextConfig tc = a.text();
      VaeConfig vc = a.vae();
      UNetConfig uc = a.unet();
      Function<Function<ParamStore, ?>, Set<String>> names = factory -> {
        ShapeRecorder rec = new ShapeRecorder();
        factory.apply(rec);
        return rec.requested().keySet();
      };
      Function<ParamStore, ClipTextModel> text = p -> new ClipTextModel(p, tc);
      Function<ParamStore, AutoencoderKL> vaeF = p -> new AutoencoderKL(p, vc);
      Function<ParamStore, UNet2DConditionModel> unetF = p -> new UNet2DConditionModel(p, uc);
      Set<String> ignorable = Set.of(LdmKeys.TEXT + "text_model.embeddings.position_ids", LdmKeys.TEXT + "embeddings.position_ids");
      b.textEncoder = b.build("text encoder", new RenamedSource(f, LdmKeys.TEXT, names.apply(text::apply), LdmKeys::text),
          ignorable, text, options.precision());
      int levels = vc.blockOutChannels().size();
      b.vae = b.build("VAE", new RenamedSource(f, LdmKeys.VAE, names.apply(vaeF::apply), n -> LdmKeys.vae(n, levels)),
          Set.of(), vaeF, Precision.FP32);
      b.unet = b.build("UNet", new RenamedSource(f, LdmKeys.UNET, names.apply(unetF::apply),
          n -> List.of(LdmKeys.unet(n, uc.layersPerBlock(), uc::upHasAttention))), Set.of(), unetF, options.precision());
      b.modelId = identity(List.of(f));
      return new StableDiffusion(b);
    } catch (RuntimeException e) {
      b.releaseAll();
      throw e;
    }
  }

  /**
   * SHA-256 over the weight files' tensor names, dtypes and shapes and a sample of each tensor's bytes (its
   * first, middle and last 64): retrained weights of the same layout get another id, the same weights the
   * same id in any key order, and no file is read in full.
   */
  private static String identity(List<SafeTensorsFile> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (SafeTensorsFile f : files) {
        f.entries().values().stream().sorted((a, c) -> a.name().compareTo(c.name())).forEach(e -> {
          sha.update((e.name() + e.dtype() + java.util.Arrays.toString(e.shape()) + e.byteLength()).getBytes(StandardCharsets.UTF_8));
          java.nio.ByteBuffer data = f.bytes(e.name());
          int len = data.remaining();
          for (int start : new int[] {0, len / 2, Math.max(0, len - 64)}) {
            sha.update(data.duplicate().position(start).limit(Math.min(len, start + 64)));
          }
        });
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The model folder's recommended settings ({@code ptinv.json}); {@link ModelDefaults#NONE} for a single file. */
  public ModelDefaults defaults() {
    return defaults;
  }

  /** The CLIP BPE tokenizer of the model folder. */
  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  /** The CLIP text encoder. */
  public ClipTextModel textEncoder() {
    return textEncoder;
  }

  /** The VAE (always fp32). */
  public AutoencoderKL vae() {
    return vae;
  }

  /** The conditional UNet. */
  public UNet2DConditionModel unet() {
    return unet;
  }

  /** The training noise schedule from the scheduler config. */
  public Schedule schedule() {
    return schedule;
  }

  /** Where the weights are. */
  public ComputeDevice device() {
    return device;
  }

  /** The UNet's and text encoder's precision. */
  public Precision precision() {
    return precision;
  }

  /** A short hash identifying the weights (see {@link #identity}). */
  public String modelId() {
    return modelId;
  }

  /** The folder or file the model was loaded from. */
  public String source() {
    return source;
  }

  /** Every weight tensor of the three models, for tests that check {@link #close()} frees them. */
  List<Tensor> weightTensors() {
    List<Tensor> out = new java.util.ArrayList<>();
    weights.forEach(w -> out.addAll(w.named().values()));
    return out;
  }

  /** The image side the model was trained at (the VAE's sample_size; 512 for SD v1). */
  public int nativeResolution() {
    int s = vae.config().sampleSize();
    return s > 0 ? s : 512;
  }

  /** Token ids {@code [1, 77]} (int64) of a prompt. */
  public Tensor tokenize(String prompt) {
    checkOpen();
    return Tensor.create(tokenizer.encode(prompt), 1, ClipTokenizer.CONTEXT_LENGTH);
  }

  /** The prompt's text embedding {@code [1, 77, D]} on the model's device and precision (no gradient). */
  public Tensor encodePrompt(String prompt) {
    checkOpen();
    try (NoGradGuard g = new NoGradGuard()) {
      return Scopes.returning(() -> textEncoder.forward(tokenize(prompt)));
    }
  }

  /** The latent z_0 {@code [1, C, H/f, W/f]} of an image, after the size policy (no gradient). */
  public Tensor encodeImage(BufferedImage image, SizePolicy policy) {
    checkOpen();
    int f = vae.config().downsamplingFactor();
    SizePolicy p = new SizePolicy(policy.mode(), policy.width(), policy.height(), Math.max(policy.multiple(), f));
    BufferedImage fitted = Images.fit(image, p.withDefaultTarget(nativeResolution(), nativeResolution()));
    if (fitted.getWidth() != image.getWidth() || fitted.getHeight() != image.getHeight()) {
      LOG.warn("input image is {}x{}; the model takes {}x{} (size policy {}, model size {})", image.getWidth(),
          image.getHeight(), fitted.getWidth(), fitted.getHeight(), p.mode().name().toLowerCase(java.util.Locale.ROOT),
          nativeResolution());
    }
    try (NoGradGuard g = new NoGradGuard()) {
      return Scopes.returning(() -> vae.encodeLatent(ImageTensors.toTensor(fitted).to(device.toTorch(), torch.ScalarType.Float))
          .to(precision.scalarType()));
    }
  }

  /** Decodes a latent to an 8-bit RGB image (the VAE runs in fp32). */
  public BufferedImage decodeImage(Tensor latent) {
    checkOpen();
    InvalidInputException.check(latent.dim() == 4 && latent.size(0) == 1, "latent", "shape [1, C, h, w]", latent.dim());
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      return ImageTensors.toImage(vae.decodeLatent(latent.to(torch.ScalarType.Float)).clamp(new org.bytedeco.pytorch.ScalarOptional(new org.bytedeco.pytorch.Scalar(-1.0)),
          new org.bytedeco.pytorch.ScalarOptional(new org.bytedeco.pytorch.Scalar(1.0))));
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new ClosedException("model " + source + " is closed");
    }
  }

  /** Keeps a model's weights alive for the duration of a call; {@link #close()} waits until every lease is closed. */
  public interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Holds the weights open until the returned lease is closed: {@link #close()} called meanwhile (from another
   * thread) waits for it instead of freeing memory under the running call. Leases nest.
   *
   * @throws ClosedException if the model is closed (or closing)
   */
  public Lease acquire() {
    usage.readLock().lock();
    if (closed) {
      usage.readLock().unlock();
      throw new ClosedException("model " + source + " is closed");
    }
    return usage.readLock()::unlock;
  }

  /**
   * Releases the weights, after the calls that hold a {@link #acquire() lease} have finished; later calls fail with
   * {@link ClosedException}. Idempotent.
   *
   * @throws IllegalStateException if called from inside a call that holds a lease (it would wait for itself)
   */
  @Override
  public void close() {
    if (usage.getReadHoldCount() > 0) {
      throw new IllegalStateException("model " + source + " cannot be closed from inside one of its own calls");
    }
    usage.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        weights.forEach(ParamStore::releaseAll);
      }
    } finally {
      usage.writeLock().unlock();
    }
  }

  /** The three modules' configs. */
  private record Architecture(ClipTextConfig text, VaeConfig vae, UNetConfig unet) {
    /** From a diffusers folder's {@code text_encoder/}, {@code vae/} and {@code unet/config.json}. */
    static Architecture read(Path dir) {
      return new Architecture(ModelConfigs.read(dir.resolve("text_encoder/config.json"), ClipTextConfig.class),
          ModelConfigs.read(dir.resolve("vae/config.json"), VaeConfig.class),
          ModelConfigs.read(dir.resolve("unet/config.json"), UNetConfig.class));
    }

    /** SD v1.x's, bundled. */
    static Architecture sdV1() {
      String base = "/io/ptinv/torch/architectures/sd-v1/";
      return new Architecture(ModelConfigs.readResource(base + "text_encoder.json", ClipTextConfig.class),
          ModelConfigs.readResource(base + "vae.json", VaeConfig.class),
          ModelConfigs.readResource(base + "unet.json", UNetConfig.class));
    }
  }

  /** Collects what loading makes, and releases it all if loading fails half-way. */
  private static final class Builder {
    final LoadOptions options;
    final String source;
    final List<ParamStore> weights = new ArrayList<>();
    ClipTokenizer tokenizer;
    ClipTextModel textEncoder;
    AutoencoderKL vae;
    UNet2DConditionModel unet;
    Schedule schedule;
    String modelId;
    ModelDefaults defaults = ModelDefaults.NONE;

    Builder(LoadOptions options, String source) {
      this.options = options;
      this.source = source;
    }

    <M> M build(String what, WeightSource src, Set<String> ignorable, Function<ParamStore, M> factory, Precision prec) {
      LoadedParams params = new LoadedParams(src, options.device(), prec, ignorable);
      weights.add(params);
      M module = factory.apply(params);
      params.finish(what);
      return module;
    }

    <M> M random(long seed, Function<ParamStore, M> factory, Precision prec) {
      io.ptinv.torch.nn.RandomParams params = new io.ptinv.torch.nn.RandomParams(seed, options.device(), prec);
      weights.add(params);
      return factory.apply(params);
    }

    void releaseAll() {
      weights.forEach(ParamStore::releaseAll);
    }
  }
}
