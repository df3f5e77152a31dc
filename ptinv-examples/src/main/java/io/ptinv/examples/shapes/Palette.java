package io.ptinv.examples.shapes;

import java.awt.Color;
import java.util.List;
import java.util.Locale;

/**
 * The named colours of the shapes world. Shapes and backgrounds use all of them (never the same for both);
 * samples jitter each channel by up to {@value #JITTER} around the entry, so that other programs' shades of
 * a named colour are understood too.
 */
public enum Palette {
  RED(220, 30, 30),
  GREEN(40, 170, 60),
  BLUE(40, 70, 210),
  YELLOW(240, 220, 40),
  PURPLE(140, 50, 170),
  ORANGE(245, 140, 30),
  WHITE(245, 245, 245),
  BLACK(20, 20, 20);

  /** Largest per-channel deviation from the palette entry in generated images. */
  public static final int JITTER = 18;

  private final int r;
  private final int g;
  private final int b;

  Palette(int r, int g, int b) {
    this.r = r;
    this.g = g;
    this.b = b;
  }

  public Color color() {
    return new Color(r, g, b);
  }

  /** The word used in captions. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static List<Palette> all() {
    return List.of(values());
  }

  /** The palette entry nearest to an RGB value (Euclidean distance in RGB). */
  public static Palette nearest(double red, double green, double blue) {
    Palette best = RED;
    double bestD = Double.MAX_VALUE;
    for (Palette p : values()) {
      double d = sq(p.r - red) + sq(p.g - green) + sq(p.b - blue);
      if (d < bestD) {
        bestD = d;
        best = p;
      }
    }
    return best;
  }

  private static double sq(double x) {
    return x * x;
  }

  public static Palette parse(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT));
  }
}
