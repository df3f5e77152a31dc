package io.ptinv.torch.inversion;

import io.ptinv.EditTask;
import io.ptinv.InvalidInputException;
import io.ptinv.LayerGroup;
import io.ptinv.torch.unet.AttentionSite;
import io.ptinv.torch.unet.UNet2DConditionModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TODInv's grouping of the UNet's cross-attention layers by resolution, as a table keyed by layer name. By default
 * (computed from the model's own layer list) the <em>appearance</em> group holds the layers of the
 * {@code ceil(levels / 2)} highest-resolution levels among those that have cross-attention, the <em>structure</em>
 * group the rest: for SD v1 at 512², whose cross-attention sits at latent sides 64, 32, 16 and 8 (the mid block),
 * that is 64 and 32 versus 16 and 8, as the paper groups them. {@link #with} overrides any layer.
 */
public final class LayerGroups {
  private final List<AttentionSite> layers;
  private final Map<String, LayerGroup> table;

  private LayerGroups(List<AttentionSite> layers, Map<String, LayerGroup> table) {
    this.layers = List.copyOf(layers);
    this.table = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(table));
  }

  /** The default table for {@code unet}'s cross-attention layers. */
  public static LayerGroups of(UNet2DConditionModel unet) {
    List<AttentionSite> layers = unet.crossAttentionLayers();
    List<Integer> levels = layers.stream().map(AttentionSite::downsampling).distinct().sorted().toList();
    int appearanceLevels = (levels.size() + 1) / 2;
    Map<String, LayerGroup> table = new LinkedHashMap<>();
    for (AttentionSite site : layers) {
      boolean high = levels.indexOf(site.downsampling()) < appearanceLevels;
      table.put(site.name(), high ? LayerGroup.APPEARANCE : LayerGroup.STRUCTURE);
    }
    return new LayerGroups(layers, table);
  }

  /**
   * The same table with one layer moved to {@code group}.
   *
   * @throws InvalidInputException if the model has no cross-attention layer of that name
   */
  public LayerGroups with(String layerName, LayerGroup group) {
    InvalidInputException.requireNonNull(layerName, "layer");
    InvalidInputException.requireNonNull(group, "group");
    InvalidInputException.check(table.containsKey(layerName), "layer", "a cross-attention layer of the model "
        + table.keySet(), layerName);
    Map<String, LayerGroup> copy = new LinkedHashMap<>(table);
    copy.put(layerName, group);
    return new LayerGroups(layers, copy);
  }

  /**
   * The same table with {@code overrides} applied ({@link io.ptinv.TodInvOptions#layerGroups()}).
   *
   * @throws InvalidInputException naming the first layer the model does not have
   */
  public LayerGroups with(Map<String, LayerGroup> overrides) {
    LayerGroups out = this;
    for (Map.Entry<String, LayerGroup> e : overrides.entrySet()) {
      out = out.with(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Layer name to group, in the UNet's cross-attention order. */
  public Map<String, LayerGroup> table() {
    return table;
  }

  /** Number of cross-attention layers. */
  public int size() {
    return layers.size();
  }

  /**
   * Which layers (by cross-attention index) inversion optimises for {@code task}: APPEARANCE edits optimise the
   * structure group, STRUCTURE edits the appearance group, GLOBAL edits all (the paper's Sec. 3.3).
   */
  public boolean[] optimised(EditTask task) {
    InvalidInputException.requireNonNull(task, "task");
    boolean[] out = new boolean[layers.size()];
    for (int i = 0; i < out.length; i++) {
      LayerGroup g = table.get(layers.get(i).name());
      out[i] = switch (task) {
        case APPEARANCE -> g == LayerGroup.STRUCTURE;
        case STRUCTURE -> g == LayerGroup.APPEARANCE;
        case GLOBAL -> true;
      };
    }
    return out;
  }
}
