package io.ptinv.torch.unet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.ptinv.ModelLoadException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code unet/config.json} of a UNet2DConditionModel, SD v1/v2 family: CrossAttnDownBlock2D / DownBlock2D,
 * UNetMidBlock2DCrossAttn, UpBlock2D / CrossAttnUpBlock2D. {@code attention_head_dim} is, as in diffusers'
 * SD configs, the number of heads (an int or one per block) unless {@code num_attention_heads} is given.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UNetConfig(
    @JsonProperty("in_channels") int inChannels,
    @JsonProperty("out_channels") int outChannels,
    @JsonProperty("sample_size") int sampleSize,
    @JsonProperty("block_out_channels") List<Integer> blockOutChannels,
    @JsonProperty("down_block_types") List<String> downBlockTypes,
    @JsonProperty("up_block_types") List<String> upBlockTypes,
    @JsonProperty("layers_per_block") int layersPerBlock,
    @JsonProperty("attention_head_dim") JsonNode attentionHeadDim,
    @JsonProperty("num_attention_heads") JsonNode numAttentionHeads,
    @JsonProperty("cross_attention_dim") int crossAttentionDim,
    @JsonProperty("norm_num_groups") int normNumGroups,
    @JsonProperty("norm_eps") double normEps,
    @JsonProperty("flip_sin_to_cos") Boolean flipSinToCos,
    @JsonProperty("freq_shift") int freqShift,
    @JsonProperty("use_linear_projection") boolean useLinearProjection) {

  public UNetConfig {
    blockOutChannels = List.copyOf(blockOutChannels);
    downBlockTypes = List.copyOf(downBlockTypes);
    upBlockTypes = List.copyOf(upBlockTypes);
    if (normNumGroups == 0) {
      normNumGroups = 32;
    }
    if (normEps == 0) {
      normEps = 1e-5;
    }
    if (flipSinToCos == null) {
      flipSinToCos = true;
    }
    int n = blockOutChannels.size();
    if (downBlockTypes.size() != n || upBlockTypes.size() != n) {
      throw new ModelLoadException("unet config: down_block_types, up_block_types and block_out_channels differ in length");
    }
    for (String t : downBlockTypes) {
      if (!t.equals("CrossAttnDownBlock2D") && !t.equals("DownBlock2D")) {
        throw new ModelLoadException("unet config: unsupported down block type " + t);
      }
    }
    for (String t : upBlockTypes) {
      if (!t.equals("CrossAttnUpBlock2D") && !t.equals("UpBlock2D")) {
        throw new ModelLoadException("unet config: unsupported up block type " + t);
      }
    }
  }

  /** Attention heads per down block (up blocks use the list reversed, the mid block the last entry). */
  public List<Integer> heads() {
    JsonNode node = numAttentionHeads != null && !numAttentionHeads.isNull() ? numAttentionHeads : attentionHeadDim;
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < blockOutChannels.size(); i++) {
      out.add(node == null || node.isNull() ? 8 : node.isArray() ? node.get(i).asInt() : node.asInt());
    }
    return out;
  }

  /** Width of the time embedding: 4 x the first block's channels. */
  public int timeEmbedDim() {
    return 4 * blockOutChannels.get(0);
  }

  public boolean downHasAttention(int i) {
    return downBlockTypes.get(i).startsWith("CrossAttn");
  }

  public boolean upHasAttention(int i) {
    return upBlockTypes.get(i).startsWith("CrossAttn");
  }
}
