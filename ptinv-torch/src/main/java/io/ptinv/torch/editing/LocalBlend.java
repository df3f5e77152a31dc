package io.ptinv.torch.editing;

import io.ptinv.torch.unet.AttentionSite;
import io.ptinv.torch.unet.AttentionStore;
import io.ptinv.torch.unet.UNet2DConditionModel;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Local blending (Prompt-to-Prompt's LocalBlend, as PTI uses it): a soft mask from the cross-attention maps
 * of the edited words (averaged over heads and over the layers whose maps are closest to 16x16 — at 1/4 of
 * the latent side for SD at 512²),
 * max-pooled 3x3, resized to the latent, scaled to [0, 1] by its minimum and maximum and thresholded; outside the mask the
 * latent follows the reconstruction: {@code z <- z_rec + mask (z_edit - z_rec)}. As in Prompt-to-Prompt,
 * blending starts after the first 20% of the steps, once the maps have taken shape.
 */
public final class LocalBlend {
  private final List<Integer> editPositions;
  private final List<Integer> sourcePositions;
  private final double threshold;
  private final UNet2DConditionModel unet;

  /**
   * @param editPositions token positions of the words in the target prompt
   * @param sourcePositions their positions in the source prompt (may be empty)
   */
  public LocalBlend(UNet2DConditionModel unet, List<Integer> editPositions, List<Integer> sourcePositions, double threshold) {
    this.editPositions = List.copyOf(editPositions);
    this.sourcePositions = List.copyOf(sourcePositions);
    this.threshold = threshold;
    this.unet = unet;
  }

  /** Map side Prompt-to-Prompt reads its masks at (16x16 for SD's 64x64 latents, i.e. 1/4 of the side). */
  static final long MAP_SIDE = 16;

  /**
   * The cross-attention level whose maps are closest to {@value #MAP_SIDE} px on a side for a latent of
   * side {@code latentSide}: level 2 (1/4) for SD at 512², level 0 for 16x16 latents, whose 1/4 maps
   * (4x4) would be too coarse to mark a region.
   */
  int level(long latentSide) {
    return unet.crossAttentionLayers().stream().mapToInt(AttentionSite::downsampling).distinct().boxed()
        .min((a, b) -> Long.compare(Math.abs(side(latentSide, a) - MAP_SIDE), Math.abs(side(latentSide, b) - MAP_SIDE)))
        .orElse(0);
  }

  private static long side(long latentSide, int level) {
    long s = latentSide;
    for (int i = 0; i < level; i++) {
      s = (s + 1) / 2;
    }
    return s;
  }

  /** Fraction of the steps before blending starts. */
  public static final double START = 0.2;

  /** Whether step {@code i} of {@code n} is blended. */
  public static boolean active(int i, int n) {
    return i >= START * n;
  }

  /** A store of the maps this blend reads, for a latent of side {@code latentSide}. */
  public AttentionStore newStore(long latentSide) {
    int level = level(latentSide);
    return new AttentionStore(site -> site.cross() && site.downsampling() == level);
  }

  /** Whether the blend also reads source-prompt words' maps (the reference's two-word-list form). */
  public boolean usesSource() {
    return !sourcePositions.isEmpty();
  }

  /** The mask {@code [1, 1, h, w]} in {0, 1} for a latent of side h x w. */
  public Tensor mask(AttentionStore edit, AttentionStore source, long h, long w) {
    Tensor m = wordMap(edit.maps(), 0, editPositions, h, w);
    if (usesSource() && source != null) {
      m = torch.maximum(m, wordMap(source.maps(), 0, sourcePositions, h, w));
    }
    return m;
  }

  /**
   * The mask for a Prompt-to-Prompt pair whose maps were stored from one {@code [source, target]} batch: the edit
   * words' map from row 1, the source words' from row 0, united (the reference's {@code mask[:1] + mask[1:]}).
   */
  public Tensor mask(AttentionStore pair, long h, long w) {
    Tensor m = editPositions.isEmpty() ? null : wordMap(pair.maps(), 1, editPositions, h, w);
    if (usesSource()) {
      Tensor s = wordMap(pair.maps(), 0, sourcePositions, h, w);
      m = m == null ? s : torch.maximum(m, s);
    }
    return m;
  }

  private Tensor wordMap(Map<Integer, Tensor> maps, int row, List<Integer> positions, long h, long w) {
    int level = level(h);
    long hs = side(h, level);
    long ws = side(w, level);
    long[] idx = positions.stream().mapToLong(Integer::longValue).toArray();
    Tensor sum = null;
    for (Tensor probs : maps.values()) {
      Tensor sel = probs.index_select(3, Tensor.create(idx, idx.length).to(probs.device(), torch.ScalarType.Long));
      Tensor perQuery = sel.sum(new long[] {3}, false, new org.bytedeco.pytorch.ScalarTypeOptional()).mean(new long[] {1}, false,
          new org.bytedeco.pytorch.ScalarTypeOptional()); // [B, Nq]
      sum = sum == null ? perQuery : sum.add(perQuery);
    }
    Tensor avg = sum.div(new Scalar(maps.size())).narrow(0, row, 1).reshape(1, 1, hs, ws).to(torch.ScalarType.Float);
    Tensor pooled = torch.max_pool2d(avg, new long[] {3, 3}, new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}, false);
    return threshold(torch.upsample_nearest2d(pooled, new long[] {h, w}), threshold);
  }

  /**
   * {@code 1[(m - min) / (max - min) > threshold]} per image. Prompt-to-Prompt divides by the maximum only,
   * which is the same for Stable Diffusion's maps (their minimum is ~0); subtracting the minimum keeps the
   * threshold meaningful for a model whose maps sit on a floor of spread-out attention, which would
   * otherwise select the whole image.
   */
  static Tensor threshold(Tensor map, double threshold) {
    Tensor min = map.amin(new long[] {2, 3}, true);
    Tensor range = map.amax(new long[] {2, 3}, true).sub(min).add(new Scalar(1e-12));
    return map.sub(min).div(range).gt(new Scalar(threshold)).to(torch.ScalarType.Float);
  }

  /** {@code z_rec + mask (z_edit - z_rec)}. */
  public static Tensor blend(Tensor zRec, Tensor zEdit, Tensor mask) {
    Tensor m = mask.to(zEdit.scalar_type());
    return zRec.add(zEdit.sub(zRec).mul(m));
  }

}
