package io.ptinv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A deterministic heuristic for {@link EditTask} (TODInv asks the user or a chat model; this decides from the prompts):
 *
 * <ol>
 *   <li>Both prompts are lower-cased, {@code [}/{@code ]} and punctuation removed, split into words, and aligned by
 *       their longest common subsequence; each gap of the alignment is one change (words removed from the source,
 *       added to the target, or both: a replacement).
 *   <li>Each changed word (fillers such as {@code a}, {@code of} aside) is a <em>background</em> word (a scene word:
 *       forest, beach, sky, night...), an <em>appearance</em> word (colour, material, style) or else a
 *       <em>structure</em> word (nouns, poses, content); a gap followed by {@code background} in the target, or holding
 *       a scene word, is a background change as a whole.
 *   <li>Any background change, or appearance and structure changes together, make the edit {@link EditTask#GLOBAL};
 *       else it is {@link EditTask#APPEARANCE} or {@link EditTask#STRUCTURE}.
 * </ol>
 */
public final class EditTaskClassifier {
  static final Set<String> COLOURS = Set.of("red", "orange", "yellow", "green", "blue", "purple", "violet", "pink",
      "brown", "black", "white", "grey", "gray", "golden", "silver", "cyan", "magenta", "teal", "turquoise", "beige",
      "maroon", "navy", "crimson", "colorful", "colourful", "dark", "light", "bright", "pale");
  static final Set<String> MATERIALS = Set.of("wooden", "wood", "metal", "metallic", "steel", "iron", "glass", "stone",
      "marble", "plastic", "paper", "leather", "gold", "bronze", "copper", "brick", "concrete", "ceramic", "porcelain",
      "crystal", "clay", "wool", "woolen", "knitted", "cotton", "silk", "velvet", "fur", "furry", "rubber", "ice", "lego");
  static final Set<String> STYLES = Set.of("style", "painting", "watercolor", "watercolour", "oil", "sketch", "drawing",
      "cartoon", "anime", "pixel", "art", "impressionist", "impressionism", "cubist", "cubism", "pencil", "charcoal",
      "photo", "photograph", "realistic", "photorealistic", "illustration", "vintage", "retro", "sepia", "monochrome",
      "abstract", "pop", "ukiyo-e", "van", "gogh", "monet", "picasso", "kids", "crayon", "pastel", "3d", "render",
      "rendering", "digital", "cyberpunk", "steampunk", "minimalist");
  static final Set<String> SCENES = Set.of("background", "forest", "beach", "sky", "night", "desert", "ocean", "sea",
      "city", "mountains", "mountain", "snow", "snowy", "field", "garden", "park", "space", "underwater", "sunset",
      "sunrise", "jungle", "street", "room", "kitchen", "lake", "river", "meadow", "grassland", "winter", "autumn",
      "spring", "summer", "rain", "rainy", "fog", "foggy", "indoors", "outdoors", "galaxy", "universe", "moon");
  static final Set<String> FILLERS = Set.of("a", "an", "the", "of", "in", "on", "with", "and", "at", "by", "to", "is",
      "are", "made", "its");

  /**
   * The outcome.
   *
   * @param task the task
   * @param reasons the changes that decided it, e.g. {@code red -> yellow (appearance)}
   */
  public record Classification(EditTask task, List<String> reasons) {
    /** @return the reasons on one line, separated by {@code "; "} */
    public String explanation() {
      return String.join("; ", reasons);
    }
  }

  private enum Kind {
    APPEARANCE, STRUCTURE, BACKGROUND
  }

  private EditTaskClassifier() {}

  /**
   * @param sourcePrompt the prompt describing the input (not empty)
   * @param targetPrompt the prompt describing the edit (not empty, different)
   * @return the task and the changes that decided it
   * @throws InvalidInputException for a null or empty prompt, or prompts without a word of difference
   */
  public static Classification classify(String sourcePrompt, String targetPrompt) {
    List<String> a = words(InvalidInputException.requireNonNull(sourcePrompt, "source prompt"));
    List<String> b = words(InvalidInputException.requireNonNull(targetPrompt, "prompt"));
    InvalidInputException.check(!a.isEmpty(), "source prompt", "at least one word", "\"" + sourcePrompt + "\"");
    InvalidInputException.check(!b.isEmpty(), "prompt", "at least one word", "\"" + targetPrompt + "\"");
    int[][] lcs = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    Set<Kind> kinds = new LinkedHashSet<>();
    List<String> reasons = new ArrayList<>();
    int i = 0;
    int j = 0;
    List<String> removed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
        flush(removed, added, b.get(j), kinds, reasons);
        i++;
        j++;
      } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
        added.add(b.get(j++));
      } else {
        removed.add(a.get(i++));
      }
    }
    flush(removed, added, null, kinds, reasons);
    InvalidInputException.check(!kinds.isEmpty(), "prompt", "a target prompt that differs from the source prompt",
        "\"" + targetPrompt + "\"");
    EditTask task = kinds.contains(Kind.BACKGROUND) || kinds.size() > 1 ? EditTask.GLOBAL
        : kinds.contains(Kind.APPEARANCE) ? EditTask.APPEARANCE : EditTask.STRUCTURE;
    return new Classification(task, reasons);
  }

  /** Classifies the gap {@code removed -> added} (followed by {@code next} in the target) and clears it. */
  private static void flush(List<String> removed, List<String> added, String next, Set<Kind> kinds,
      List<String> reasons) {
    if (removed.isEmpty() && added.isEmpty()) {
      return;
    }
    List<String> changed = new ArrayList<>(removed);
    changed.addAll(added);
    if (changed.stream().allMatch(FILLERS::contains)) {
      removed.clear();
      added.clear();
      return; // "a" -> "an" and the like change nothing
    }
    Set<Kind> gap = new LinkedHashSet<>();
    if ("background".equals(next)) {
      gap.add(Kind.BACKGROUND);
    }
    for (String w : changed) {
      if (FILLERS.contains(w)) {
        continue;
      }
      gap.add(SCENES.contains(w) ? Kind.BACKGROUND
          : COLOURS.contains(w) || MATERIALS.contains(w) || STYLES.contains(w) ? Kind.APPEARANCE : Kind.STRUCTURE);
    }
    if (gap.contains(Kind.BACKGROUND)) {
      gap = Set.of(Kind.BACKGROUND); // a changed scene is a background change, whatever its adjectives
    }
    kinds.addAll(gap);
    String from = removed.isEmpty() ? "+" : String.join(" ", removed);
    String to = added.isEmpty() ? "-" : String.join(" ", added);
    reasons.add((removed.isEmpty() ? "added \"" + to + "\"" : added.isEmpty() ? "removed \"" + from + "\""
        : "\"" + from + "\" -> \"" + to + "\"") + " (" + String.join(", ",
        gap.stream().map(k -> k.name().toLowerCase(Locale.ROOT)).toList()) + ")");
    removed.clear();
    added.clear();
  }

  /** Lower-cased words without brackets and punctuation (apostrophes and hyphens inside words kept). */
  static List<String> words(String prompt) {
    String cleaned = prompt.toLowerCase(Locale.ROOT).replaceAll("[\\[\\]]", " ").replaceAll("[^a-z0-9'\\- ]", " ");
    return Arrays.stream(cleaned.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }
}
