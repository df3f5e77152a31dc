package io.ptinv.torch.vae;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code vae/config.json} of an AutoencoderKL (the fields the model needs). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VaeConfig(
    @JsonProperty("in_channels") int inChannels,
    @JsonProperty("out_channels") int outChannels,
    @JsonProperty("block_out_channels") List<Integer> blockOutChannels,
    @JsonProperty("layers_per_block") int layersPerBlock,
    @JsonProperty("latent_channels") int latentChannels,
    @JsonProperty("norm_num_groups") int normNumGroups,
    @JsonProperty("sample_size") int sampleSize,
    @JsonProperty("scaling_factor") double scalingFactor) {

  public VaeConfig {
    blockOutChannels = List.copyOf(blockOutChannels);
    if (normNumGroups == 0) {
      normNumGroups = 32;
    }
    if (scalingFactor == 0) {
      scalingFactor = 0.18215;
    }
  }

  /** Image side / latent side: 2^(number of blocks - 1). */
  public int downsamplingFactor() {
    return 1 << (blockOutChannels.size() - 1);
  }

  public static VaeConfig sdV1() {
    return new VaeConfig(3, 3, List.of(128, 256, 512, 512), 2, 4, 32, 512, 0.18215);
  }
}
