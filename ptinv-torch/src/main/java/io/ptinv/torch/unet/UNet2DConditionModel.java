package io.ptinv.torch.unet;

import io.ptinv.torch.nn.Conv2d;
import io.ptinv.torch.nn.GroupNorm;
import io.ptinv.torch.nn.Linear;
import io.ptinv.torch.nn.Params;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Stable Diffusion's noise-prediction UNet (diffusers' UNet2DConditionModel, SD v1 layout): predicts
 * {@code eps(z_t, t, c)}. Conditioning is one shared context or one per cross-attention layer; an {@link
 * AttentionControl} can read or replace attention at every layer.
 */
public final class UNet2DConditionModel {
  private final UNetConfig config;
  private final Conv2d convIn;
  private final Linear timeLinear1;
  private final Linear timeLinear2;
  private final List<UNetBlock> downBlocks = new ArrayList<>();
  private final UNetMidBlock mid;
  private final List<UNetBlock> upBlocks = new ArrayList<>();
  private final GroupNorm normOut;
  private final Conv2d convOut;
  private final List<AttentionSite> crossSites = new ArrayList<>();

  public UNet2DConditionModel(Params p, UNetConfig c) {
    this.config = c;
    List<Integer> ch = c.blockOutChannels();
    int n = ch.size();
    convIn = new Conv2d(p.sub("conv_in"), c.inChannels(), ch.get(0), 3, 1, 1);
    timeLinear1 = new Linear(p.sub("time_embedding.linear_1"), ch.get(0), c.timeEmbedDim(), true);
    timeLinear2 = new Linear(p.sub("time_embedding.linear_2"), c.timeEmbedDim(), c.timeEmbedDim(), true);
    int cross = 0;
    long out = ch.get(0);
    for (int i = 0; i < n; i++) {
      long in = out;
      out = ch.get(i);
      UNetBlock b = UNetBlock.down(p.sub("down_blocks", i), c, i, in, out, cross);
      cross += register(b.attentions());
      downBlocks.add(b);
    }
    int midCross = -1;
    List<Integer> reversed = new ArrayList<>(ch);
    Collections.reverse(reversed);
    out = reversed.get(0);
    for (int i = 0; i < n; i++) {
      long prev = out;
      out = reversed.get(i);
      long skipIn = reversed.get(Math.min(i + 1, n - 1));
      UNetBlock b = UNetBlock.up(p.sub("up_blocks", i), c, i, prev, out, skipIn, cross);
      cross += register(b.attentions());
      upBlocks.add(b);
    }
    midCross = cross;
    mid = new UNetMidBlock(p.sub("mid_block"), c, ch.get(n - 1), midCross);
    crossSites.add(mid.attention().crossSite());
    normOut = new GroupNorm(p.sub("conv_norm_out"), c.normNumGroups(), ch.get(0), c.normEps());
    convOut = new Conv2d(p.sub("conv_out"), ch.get(0), c.outChannels(), 3, 1, 1);
  }

  private int register(List<Transformer2D> attentions) {
    attentions.forEach(t -> crossSites.add(t.crossSite()));
    return attentions.size();
  }

  public UNetConfig config() {
    return config;
  }

  /**
   * The cross-attention layers in conditioning order: down blocks, up blocks, then the mid block (as
   * diffusers' {@code attn_processors} lists them). SD v1 has 16.
   */
  public List<AttentionSite> crossAttentionLayers() {
    return Collections.unmodifiableList(crossSites);
  }

  public Tensor forward(Tensor sample, double timestep, Conditioning cond) {
    return forward(sample, timestep, cond, AttentionControl.NONE);
  }

  /**
   * @param sample noisy latent {@code [B, C, h, w]}
   * @param timestep the diffusion timestep t (same for the whole batch)
   * @param cond context(s) with batch B
   * @return predicted noise {@code [B, C, h, w]}
   */
  public Tensor forward(Tensor sample, double timestep, Conditioning cond, AttentionControl control) {
    Tensor t = torch.full(new long[] {sample.size(0)}, new Scalar(timestep)).to(sample.device(), torch.ScalarType.Float);
    return forward(sample, t, cond, control);
  }

  /**
   * @param timesteps one timestep per batch element {@code [B]} (training draws them independently)
   */
  public Tensor forward(Tensor sample, Tensor timesteps, Conditioning cond, AttentionControl control) {
    cond.checkLayers(crossSites.size());
    // inputs in the UNet's own precision: tuned embeddings stay fp32 under an fp16/bf16 model (no-ops in fp32)
    org.bytedeco.pytorch.global.torch.ScalarType dtype = convIn.dtype();
    sample = sample.to(dtype);
    cond = cond.to(dtype);
    Tensor temb = timeLinear2.forward(torch.silu(timeLinear1.forward(timestepEmbedding(sample, timesteps))));
    Tensor h = convIn.forward(sample);
    Deque<Tensor> skips = new ArrayDeque<>();
    skips.push(h);
    for (UNetBlock b : downBlocks) {
      h = b.forwardDown(h, temb, cond, control, skips);
    }
    h = mid.forward(h, temb, cond, control);
    for (UNetBlock b : upBlocks) {
      h = b.forwardUp(h, temb, cond, control, skips);
    }
    return convOut.forward(torch.silu(normOut.forward(h)));
  }

  /**
   * Sinusoidal embedding of t, {@code [B, C0]}: frequencies {@code exp(-ln(10000) i / (C0/2 - freq_shift))},
   * halves [sin, cos] (flipped to [cos, sin] with flip_sin_to_cos).
   */
  private Tensor timestepEmbedding(Tensor sample, Tensor timesteps) {
    long dim = config.blockOutChannels().get(0);
    long half = dim / 2;
    Tensor idx = torch.arange(new Scalar(half)).to(sample.device(), torch.ScalarType.Float);
    Tensor freqs = torch.exp(idx.mul(new Scalar(-Math.log(10000.0) / (half - config.freqShift()))));
    Tensor args = timesteps.to(torch.ScalarType.Float).unsqueeze(1).mul(freqs.unsqueeze(0));
    Tensor sin = torch.sin(args);
    Tensor cos = torch.cos(args);
    Tensor emb = config.flipSinToCos() ? torch.cat(new TensorVector(cos, sin), 1) : torch.cat(new TensorVector(sin, cos), 1);
    return emb.to(sample.scalar_type());
  }
}
