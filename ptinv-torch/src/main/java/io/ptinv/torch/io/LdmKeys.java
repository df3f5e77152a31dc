package io.ptinv.torch.io;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of diffusers-layout parameters in original LDM/CompVis single-file checkpoints
 * ({@code model.diffusion_model.*}, {@code first_stage_model.*}, {@code cond_stage_model.transformer.*}).
 * Each method maps one diffusers name to its candidate LDM names, most common first.
 */
public final class LdmKeys {
  public static final String UNET = "model.diffusion_model.";
  public static final String VAE = "first_stage_model.";
  public static final String TEXT = "cond_stage_model.transformer.";

  private static final Pattern DOWN = Pattern.compile("down_blocks\\.(\\d+)\\.(resnets|attentions)\\.(\\d+)\\.(.*)");
  private static final Pattern DOWN_SAMPLE = Pattern.compile("down_blocks\\.(\\d+)\\.downsamplers\\.0\\.conv\\.(.*)");
  private static final Pattern UP = Pattern.compile("up_blocks\\.(\\d+)\\.(resnets|attentions)\\.(\\d+)\\.(.*)");
  private static final Pattern UP_SAMPLE = Pattern.compile("up_blocks\\.(\\d+)\\.upsamplers\\.0\\.conv\\.(.*)");
  private static final Pattern MID = Pattern.compile("mid_block\\.(resnets|attentions)\\.(\\d+)\\.(.*)");

  private LdmKeys() {}

  /**
   * @param layersPerBlock the UNet's layers per down block
   * @param upHasAttention whether up block i has attentions (its upsampler is then sub-module 2, else 1)
   */
  public static String unet(String name, int layersPerBlock, java.util.function.IntPredicate upHasAttention) {
    int stride = layersPerBlock + 1;
    Matcher m;
    if ((m = DOWN.matcher(name)).matches()) {
      int block = 1 + stride * Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(3));
      return UNET + "input_blocks." + block + "." + (m.group(2).equals("resnets") ? "0." + resnet(m.group(4)) : "1." + m.group(4));
    }
    if ((m = DOWN_SAMPLE.matcher(name)).matches()) {
      return UNET + "input_blocks." + stride * (Integer.parseInt(m.group(1)) + 1) + ".0.op." + m.group(2);
    }
    if ((m = UP.matcher(name)).matches()) {
      int block = stride * Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(3));
      return UNET + "output_blocks." + block + "." + (m.group(2).equals("resnets") ? "0." + resnet(m.group(4)) : "1." + m.group(4));
    }
    if ((m = UP_SAMPLE.matcher(name)).matches()) {
      int i = Integer.parseInt(m.group(1));
      return UNET + "output_blocks." + (stride * i + stride - 1) + "." + (upHasAttention.test(i) ? 2 : 1) + ".conv." + m.group(2);
    }
    if ((m = MID.matcher(name)).matches()) {
      int idx = m.group(1).equals("attentions") ? 1 : 2 * Integer.parseInt(m.group(2));
      return UNET + "middle_block." + idx + "." + (m.group(1).equals("resnets") ? resnet(m.group(3)) : m.group(3));
    }
    return UNET + name
        .replace("time_embedding.linear_1", "time_embed.0")
        .replace("time_embedding.linear_2", "time_embed.2")
        .replace("conv_in", "input_blocks.0.0")
        .replace("conv_norm_out", "out.0")
        .replace("conv_out", "out.2");
  }

  private static String resnet(String rest) {
    return rest.replace("norm1", "in_layers.0")
        .replace("conv1", "in_layers.2")
        .replace("time_emb_proj", "emb_layers.1")
        .replace("norm2", "out_layers.0")
        .replace("conv2", "out_layers.3")
        .replace("conv_shortcut", "skip_connection");
  }

  private static final Pattern VAE_DOWN = Pattern.compile("encoder\\.down_blocks\\.(\\d+)\\.(resnets\\.(\\d+)|downsamplers\\.0)\\.(.*)");
  private static final Pattern VAE_UP = Pattern.compile("decoder\\.up_blocks\\.(\\d+)\\.(resnets\\.(\\d+)|upsamplers\\.0)\\.(.*)");
  private static final Pattern VAE_MID = Pattern.compile("(encoder|decoder)\\.mid_block\\.(resnets\\.(\\d+)|attentions\\.0)\\.(.*)");

  /** @param blocks number of VAE resolution levels (up block i is LDM level {@code blocks - 1 - i}) */
  public static List<String> vae(String name, int blocks) {
    Matcher m;
    if ((m = VAE_DOWN.matcher(name)).matches()) {
      String part = m.group(3) != null ? "block." + m.group(3) : "downsample";
      return List.of(VAE + "encoder.down." + m.group(1) + "." + part + "." + vaeResnet(m.group(4)));
    }
    if ((m = VAE_UP.matcher(name)).matches()) {
      int level = blocks - 1 - Integer.parseInt(m.group(1));
      String part = m.group(3) != null ? "block." + m.group(3) : "upsample";
      return List.of(VAE + "decoder.up." + level + "." + part + "." + vaeResnet(m.group(4)));
    }
    if ((m = VAE_MID.matcher(name)).matches()) {
      String prefix = VAE + m.group(1) + ".mid.";
      if (m.group(3) != null) {
        return List.of(prefix + "block_" + (Integer.parseInt(m.group(3)) + 1) + "." + vaeResnet(m.group(4)));
      }
      String rest = m.group(4);
      String old = rest.replace("group_norm", "norm").replace("to_q", "q").replace("to_k", "k").replace("to_v", "v")
          .replace("to_out.0", "proj_out");
      String renamed = rest.replace("group_norm", "norm");
      return List.of(prefix + "attn_1." + old, prefix + "attn_1." + renamed);
    }
    return List.of(VAE + name.replace("conv_norm_out", "norm_out"));
  }

  private static String vaeResnet(String rest) {
    return rest.replace("conv_shortcut", "nin_shortcut");
  }

  /** Text encoder: the transformers names under {@code cond_stage_model.transformer.} (older files omit text_model). */
  public static List<String> text(String name) {
    return List.of(TEXT + name, TEXT + name.replaceFirst("^text_model\\.", ""));
  }
}
