package io.ptinv.examples.bench;

import io.ptinv.examples.shapes.Palette;
import io.ptinv.examples.shapes.ShapeKind;
import io.ptinv.examples.shapes.ShapeSample;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One benchmark edit: a source sample and a target that changes one attribute (colour, shape or
 * background), with the words local blending should use.
 */
record EditCase(ShapeSample source, String type, Palette color, ShapeKind shape, Palette background, List<String> blendWords) {

  static final List<String> TYPES = List.of("colour", "shape", "background");

  String targetCaption() {
    return ShapeSample.caption(color, shape, background);
  }

  /** The target of {@code type} for {@code s}, the new value drawn from {@code rng}. */
  static EditCase of(ShapeSample s, String type, SplittableRandom rng) {
    return switch (type) {
      case "colour" -> {
        Palette c = pick(rng, s.color(), s.background());
        yield new EditCase(s, type, c, s.shape(), s.background(), List.of(c.word(), s.shape().word()));
      }
      case "shape" -> {
        ShapeKind k;
        do {
          k = ShapeKind.values()[rng.nextInt(ShapeKind.values().length)];
        } while (k == s.shape());
        yield new EditCase(s, type, s.color(), k, s.background(), List.of(k.word()));
      }
      case "background" -> {
        Palette b = pick(rng, s.background(), s.color());
        yield new EditCase(s, type, s.color(), s.shape(), b, List.of(b.word(), "background"));
      }
      default -> throw new IllegalArgumentException(type);
    };
  }

  private static Palette pick(SplittableRandom rng, Palette not1, Palette not2) {
    Palette p;
    do {
      p = Palette.values()[rng.nextInt(Palette.values().length)];
    } while (p == not1 || p == not2);
    return p;
  }

  /** Whether the analysed edit shows the target attribute. */
  boolean succeeded(io.ptinv.examples.shapes.ShapeAnalyzer.Analysis a) {
    return switch (type) {
      case "colour" -> a.color() == color;
      case "shape" -> a.shape() == shape;
      default -> a.background() == background;
    };
  }

  /** Pixels that should not change: outside both shapes (colour, shape edits) or inside the shape (background). */
  boolean[] unchangedRegion(boolean[] before, boolean[] after, int w, int h) {
    if (type.equals("background")) {
      return Masks.erode(before, w, h, 2);
    }
    return Masks.outsideBoth(before, after, w, h, 2);
  }
}
