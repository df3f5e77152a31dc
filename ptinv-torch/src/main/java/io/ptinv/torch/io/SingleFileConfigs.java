package io.ptinv.torch.io;

import com.fasterxml.jackson.databind.node.IntNode;
import io.ptinv.ModelLoadException;
import io.ptinv.torch.text.ClipTextConfig;
import io.ptinv.torch.unet.UNetConfig;
import io.ptinv.torch.vae.VaeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Architecture sizes of a single-file checkpoint inferred from its tensor shapes, with SD v1's conventions
 * for what shapes cannot tell: 8 attention heads per UNet block, CLIP text heads of width 64 (hidden / 64),
 * 32 normalisation groups, VAE scaling factor 0.18215. Use a config folder for other conventions.
 */
public final class SingleFileConfigs {
  private SingleFileConfigs() {}

  public static UNetConfig unet(SafeTensorsFile f) {
    String p = LdmKeys.UNET;
    int downsamplers = count(f, Pattern.compile(Pattern.quote(p) + "input_blocks\\.(\\d+)\\.0\\.op\\.weight"));
    int levels = downsamplers + 1;
    int outputBlocks = count(f, Pattern.compile(Pattern.quote(p) + "output_blocks\\.(\\d+)\\.0\\.in_layers\\.0\\.weight"));
    if (outputBlocks == 0 || outputBlocks % levels != 0) {
      throw new ModelLoadException(f.path() + ": cannot infer the UNet layout (" + outputBlocks + " output blocks, "
          + levels + " levels)");
    }
    int layers = outputBlocks / levels - 1;
    int stride = layers + 1;
    List<Integer> channels = new ArrayList<>();
    List<String> down = new ArrayList<>();
    List<String> up = new ArrayList<>();
    int crossDim = 0;
    boolean linearProjection = false;
    for (int i = 0; i < levels; i++) {
      int first = 1 + stride * i;
      channels.add((int) shape(f, p + "input_blocks." + first + ".0.out_layers.3.weight")[0]);
      String attn = p + "input_blocks." + first + ".1.transformer_blocks.0.attn2.to_k.weight";
      down.add(f.contains(attn) ? "CrossAttnDownBlock2D" : "DownBlock2D");
      if (f.contains(attn)) {
        crossDim = (int) shape(f, attn)[1];
        linearProjection = shape(f, p + "input_blocks." + first + ".1.proj_in.weight").length == 2;
      }
      up.add(f.contains(p + "output_blocks." + stride * i + ".1.transformer_blocks.0.attn2.to_k.weight")
          ? "CrossAttnUpBlock2D" : "UpBlock2D");
    }
    long[] convIn = shape(f, p + "input_blocks.0.0.weight");
    long[] convOut = shape(f, p + "out.2.weight");
    return new UNetConfig((int) convIn[1], (int) convOut[0], 0, channels, down, up, layers, IntNode.valueOf(8), null,
        crossDim, 32, 1e-5, true, 0, linearProjection);
  }

  public static VaeConfig vae(SafeTensorsFile f) {
    String p = LdmKeys.VAE;
    int levels = count(f, Pattern.compile(Pattern.quote(p) + "encoder\\.down\\.(\\d+)\\.block\\.0\\.conv1\\.weight"));
    int layers = count(f, Pattern.compile(Pattern.quote(p) + "encoder\\.down\\.0\\.block\\.(\\d+)\\.conv1\\.weight"));
    if (levels == 0 || layers == 0) {
      throw new ModelLoadException(f.path() + ": no VAE (first_stage_model.encoder.down.*) in this checkpoint");
    }
    List<Integer> channels = new ArrayList<>();
    for (int i = 0; i < levels; i++) {
      channels.add((int) shape(f, p + "encoder.down." + i + ".block.0.conv2.weight")[0]);
    }
    int latent = (int) shape(f, p + "quant_conv.weight")[0] / 2;
    return new VaeConfig((int) shape(f, p + "encoder.conv_in.weight")[1], (int) shape(f, p + "decoder.conv_out.weight")[0],
        channels, layers, latent, 32, 0, 0.18215);
  }

  public static ClipTextConfig text(SafeTensorsFile f) {
    String p = LdmKeys.TEXT + (f.contains(LdmKeys.TEXT + "text_model.final_layer_norm.weight") ? "text_model." : "");
    long[] tokens = shape(f, p + "embeddings.token_embedding.weight");
    long[] positions = shape(f, p + "embeddings.position_embedding.weight");
    int layers = count(f, Pattern.compile(Pattern.quote(p) + "encoder\\.layers\\.(\\d+)\\.mlp\\.fc1\\.weight"));
    int hidden = (int) tokens[1];
    int mlp = (int) shape(f, p + "encoder.layers.0.mlp.fc1.weight")[0];
    return new ClipTextConfig((int) tokens[0], hidden, mlp, Math.max(1, hidden / 64), layers, (int) positions[0], 1e-5,
        "quick_gelu");
  }

  private static long[] shape(SafeTensorsFile f, String key) {
    TensorEntry e = f.entries().get(key);
    if (e == null) {
      throw new ModelLoadException(f.path() + ": missing tensor '" + key + "' needed to infer the architecture");
    }
    return e.shape();
  }

  private static int count(SafeTensorsFile f, Pattern pattern) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Map.Entry<String, TensorEntry> e : f.entries().entrySet()) {
      Matcher m = pattern.matcher(e.getKey());
      if (m.matches()) {
        seen.add(m.group(1));
      }
    }
    return seen.size();
  }
}
