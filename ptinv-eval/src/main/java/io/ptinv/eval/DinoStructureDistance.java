package io.ptinv.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.InvalidInputException;
import io.ptinv.ModelLoadException;
import io.ptinv.torch.io.LoadedParams;
import io.ptinv.torch.io.SafeTensorsFile;
import io.ptinv.torch.io.WeightSource;
import io.ptinv.torch.nn.LayerNorm;
import io.ptinv.torch.nn.Linear;
import io.ptinv.torch.nn.Params;
import io.ptinv.torch.runtime.ComputeDevice;
import io.ptinv.torch.runtime.Precision;
import io.ptinv.torch.runtime.Tensors;
import io.ptinv.torch.runtime.Torch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * PIE-Bench's structure distance (Tumanyan et al.'s DINO-ViT self-similarity, as PnPInversion's
 * {@code matrics_calculator.py} computes it): each image (0..255 values, masked) is resized with torchvision's tensor
 * {@code Resize(224, max_size=480)} (bilinear, no antialias), normalised with ImageNet's mean and std, run through
 * DINO ViT/8; the keys of the chosen block's attention, concatenated over heads per token (CLS included), give the
 * cosine self-similarity matrix; the distance is the MSE between the two images' matrices. Weights: a safetensors file
 * in {@code dino_vitbase8_pretrain.pth}'s key layout and a small JSON of its sizes (docs/evaluation.md).
 */
public final class DinoStructureDistance implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};
  private static final int SHORT_SIDE = 224;
  private static final int MAX_SIZE = 480;

  private final SafeTensorsFile file;
  private final LoadedParams params;
  private final int patch;
  private final int dim;
  private final int heads;
  private final int layer;
  private final Tensor patchWeight;
  private final Tensor patchBias;
  private final Tensor clsToken;
  private final Tensor posEmbed;
  private final List<Block> blocks = new ArrayList<>();

  /** The keys and self-similarity behind a distance, for checks and reports. */
  public record Details(long[] inputShape, float[] input, float[] keys, float[] similarity, int tokens) {}

  private DinoStructureDistance(Path weights, Path config) {
    Torch.ensureLoaded();
    JsonNode c;
    try {
      c = JSON.readTree(config.toFile());
    } catch (IOException e) {
      throw new ModelLoadException(config + ": cannot read JSON: " + e.getMessage(), e);
    }
    patch = c.path("patch_size").asInt(8);
    dim = c.path("embed_dim").asInt(768);
    heads = c.path("num_heads").asInt(12);
    int depth = c.path("depth").asInt(12);
    int mlp = (int) (dim * c.path("mlp_ratio").asDouble(4));
    double eps = c.path("layer_norm_eps").asDouble(1e-6);
    int imgSize = c.path("img_size").asInt(224);
    layer = c.path("structure_distance_layer").asInt(depth - 1);
    InvalidInputException.check(layer >= 0 && layer < depth, "structure_distance_layer", "a block index < " + depth,
        layer);
    file = SafeTensorsFile.open(weights);
    // the final norm is part of the checkpoint but not of the distance
    params = new LoadedParams(WeightSource.of(file), ComputeDevice.CPU, Precision.FP32, Set.of("norm.weight", "norm.bias"));
    try (PointerScope scope = new PointerScope()) {
      int grid = imgSize / patch;
      patchWeight = params.get("patch_embed.proj.weight", dim, 3, patch, patch);
      patchBias = params.get("patch_embed.proj.bias", dim);
      clsToken = params.get("cls_token", 1, 1, dim);
      posEmbed = params.get("pos_embed", 1, (long) grid * grid + 1, dim);
      for (int i = 0; i < depth; i++) {
        blocks.add(new Block(params.sub("blocks", i), dim, mlp, eps));
      }
      params.finish("DINO weights");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * @param weights DINO ViT weights ({@code cls_token}, {@code pos_embed}, {@code patch_embed.proj.*},
   *     {@code blocks.i.*}, {@code norm.*})
   * @param config {@code patch_size}, {@code embed_dim}, {@code depth}, {@code num_heads}, {@code mlp_ratio},
   *     {@code img_size}, {@code structure_distance_layer} (ViT-B/8: 8, 768, 12, 12, 4, 224, 11)
   * @return the model on the CPU, fp32
   */
  public static DinoStructureDistance load(Path weights, Path config) {
    InvalidInputException.requireNonNull(weights, "weights");
    InvalidInputException.requireNonNull(config, "config");
    return new DinoStructureDistance(weights, config);
  }

  /**
   * The structure distance under PIE-Bench's convention (both images multiplied by the mask).
   *
   * @param a one image (the reference's source)
   * @param b the other (its target), same size
   * @param region the part (H x W, true = inside), or null for the whole image
   * @return the distance, or not computed for an empty region
   */
  public Score distance(EvalImage a, EvalImage b, boolean[] region) {
    InvalidInputException.check(a.height() == b.height() && a.width() == b.width(), "images", "the same size",
        a.width() + "x" + a.height() + " and " + b.width() + "x" + b.height());
    if (!PieBenchMask.any(region)) {
      return Score.skipped("empty mask");
    }
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Tensor sa = similarity(input(a, region));
      Tensor sb = similarity(input(b, region));
      return Score.of(torch.mse_loss(sb, sa, 1).item_double());
    }
  }

  /**
   * The DINO input, the keys and the self-similarity of one (masked) image.
   *
   * @param image the image
   * @param region the part, or null
   * @return the intermediates
   */
  public Details details(EvalImage image, boolean[] region) {
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Tensor in = input(image, region);
      Tensor keys = keys(in);
      Tensor sim = cosine(keys);
      return new Details(in.shape(), Tensors.toFloats(in), Tensors.toFloats(keys), Tensors.toFloats(sim),
          (int) keys.size(0));
    }
  }

  /** 0..255 values times the mask, Resize(224, max_size=480) bilinear without antialias, ImageNet normalisation. */
  private static Tensor input(EvalImage img, boolean[] region) {
    int plane = img.pixels();
    float[] v = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        // the reference feeds np.array(img).astype(float32) * mask: the 8-bit values, no /255
        v[c * plane + i] = region == null || region[i] ? Math.round(img.values()[c * plane + i] * 255f) : 0f;
      }
    }
    int h = img.height();
    int w = img.width();
    int shortSide = Math.min(h, w);
    int longSide = Math.max(h, w);
    int newShort = SHORT_SIDE;
    int newLong = (int) ((long) SHORT_SIDE * longSide / shortSide);
    if (newLong > MAX_SIZE) {
      newShort = (int) ((long) MAX_SIZE * newShort / newLong);
      newLong = MAX_SIZE;
    }
    int newW = w <= h ? newShort : newLong;
    int newH = w <= h ? newLong : newShort;
    Tensor x = Tensors.fromFloats(v, 1, 3, h, w);
    if (newH != h || newW != w) {
      x = torch.upsample_bilinear2d(x, new long[] {newH, newW}, false, new DoubleOptional(), new DoubleOptional());
    }
    Tensor mean = Tensors.fromFloats(MEAN, 1, 3, 1, 1);
    Tensor std = Tensors.fromFloats(STD, 1, 3, 1, 1);
    return x.sub(mean).div(std);
  }

  /** The chosen block's keys, {@code [N, dim]} (heads concatenated per token; N includes CLS). */
  private Tensor keys(Tensor in) {
    long rows = in.size(2) / patch;
    long cols = in.size(3) / patch;
    Tensor p = torch.conv2d(in, patchWeight, new TensorOptional(patchBias), new long[] {patch, patch},
        new long[] {0, 0}, new long[] {1, 1}, 1);
    Tensor tokens = p.flatten(2, 3).transpose(1, 2);
    Tensor x = torch.cat(new TensorVector(clsToken, tokens), 1).add(positions(in.size(2), in.size(3), rows, cols));
    for (int i = 0; i < layer; i++) {
      x = blocks.get(i).forward(x, heads);
    }
    Tensor qkv = blocks.get(layer).qkv(x); // [1, N, 3 dim]
    long n = qkv.size(1);
    // qkv.reshape(N, 3, heads, dim / heads).permute(1, 2, 0, 3)[1] -> [heads, N, hd], then per token -> [N, dim]
    Tensor k = qkv.reshape(n, 3, heads, dim / heads).permute(1, 2, 0, 3).select(0, 1);
    return k.permute(1, 0, 2).reshape(n, dim);
  }

  /**
   * DINO's interpolate_pos_encoding: the 28x28 table as is for a square 28x28 grid, else resampled bicubically with
   * {@code scale_factor = ((rows + 0.1) / 28, (cols + 0.1) / 28)} (the scale factor, not the size, sets the grid).
   */
  private Tensor positions(long height, long width, long rows, long cols) {
    long n = posEmbed.size(1) - 1;
    int side = (int) Math.sqrt(n);
    if (rows * cols == n && height == width) {
      return posEmbed;
    }
    Tensor cls = posEmbed.narrow(1, 0, 1);
    Tensor grid = posEmbed.narrow(1, 1, n).reshape(1, side, side, dim).permute(0, 3, 1, 2);
    double sh = (rows + 0.1) / side;
    double sw = (cols + 0.1) / side;
    long outH = (long) Math.floor(side * sh);
    long outW = (long) Math.floor(side * sw);
    Tensor resized = torch.upsample_bicubic2d(grid, new long[] {outH, outW}, false, new DoubleOptional(sh),
        new DoubleOptional(sw));
    Tensor flat = resized.permute(0, 2, 3, 1).reshape(1, outH * outW, dim);
    return torch.cat(new TensorVector(cls, flat), 1);
  }

  private Tensor similarity(Tensor in) {
    return cosine(keys(in));
  }

  /** {@code (K K^T) / clamp(|k_i| |k_j|, 1e-8)}. */
  private static Tensor cosine(Tensor keys) {
    Tensor norm = keys.norm(new org.bytedeco.pytorch.ScalarOptional(new Scalar(2)), new long[] {1}, true);
    Tensor factor = torch.clamp(torch.matmul(norm, norm.t()), new org.bytedeco.pytorch.ScalarOptional(new Scalar(1e-8)),
        new org.bytedeco.pytorch.ScalarOptional());
    return torch.matmul(keys, keys.t()).div(factor);
  }


  @Override
  public void close() {
    if (params != null) {
      params.releaseAll();
    }
    if (file != null) {
      file.close();
    }
  }

  /** A DINO ViT block: {@code x + proj(attn(LN1 x))}, {@code x + fc2(GELU(fc1(LN2 x)))}. */
  private static final class Block {
    final LayerNorm norm1;
    final Linear qkv;
    final Linear proj;
    final LayerNorm norm2;
    final Linear fc1;
    final Linear fc2;
    final int dim;

    Block(Params p, int dim, int mlp, double eps) {
      this.dim = dim;
      norm1 = new LayerNorm(p.sub("norm1"), dim, eps);
      qkv = new Linear(p.sub("attn.qkv"), dim, 3L * dim, true);
      proj = new Linear(p.sub("attn.proj"), dim, dim, true);
      norm2 = new LayerNorm(p.sub("norm2"), dim, eps);
      fc1 = new Linear(p.sub("mlp.fc1"), dim, mlp, true);
      fc2 = new Linear(p.sub("mlp.fc2"), mlp, dim, true);
    }

    /** The attention's qkv projection of {@code LN1 x}: {@code [1, N, 3 dim]} (what the reference hooks). */
    Tensor qkv(Tensor x) {
      return qkv.forward(norm1.forward(x));
    }

    Tensor forward(Tensor x, int heads) {
      Tensor t = qkv(x);
      long n = t.size(1);
      long hd = dim / heads;
      Tensor q = t.reshape(1, n, 3, heads, hd).permute(2, 0, 3, 1, 4);
      Tensor attn = torch.matmul(q.select(0, 0), q.select(0, 1).transpose(-2, -1)).mul(new Scalar(Math.pow(hd, -0.5)))
          .softmax(-1);
      Tensor a = torch.matmul(attn, q.select(0, 2)).transpose(1, 2).reshape(1, n, dim);
      x = x.add(proj.forward(a));
      return x.add(fc2.forward(torch.gelu(fc1.forward(norm2.forward(x)))));
    }
  }
}
