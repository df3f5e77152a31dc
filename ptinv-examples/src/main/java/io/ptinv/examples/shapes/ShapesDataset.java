package io.ptinv.examples.shapes;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * A deterministic, seeded generator of captioned images: one shape ({@link ShapeKind}) of one colour on a
 * plain background of another ({@link Palette}), with size and position jitter, per-channel colour jitter,
 * antialiased edges and mild Gaussian pixel noise. Sample {@code i} of seed {@code s} is always the same
 * image; no files are needed.
 */
public final class ShapesDataset {
  /** Image side in pixels. */
  public static final int SIZE = 64;
  private static final double NOISE_SIGMA = 3.0;

  private final long seed;

  public ShapesDataset(long seed) {
    this.seed = seed;
  }

  /** Sample {@code index}: attributes uniformly at random, shape colour different from the background. */
  public ShapeSample sample(long index) {
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    ShapeKind shape = ShapeKind.values()[rng.nextInt(ShapeKind.values().length)];
    Palette color = Palette.values()[rng.nextInt(Palette.values().length)];
    Palette background;
    do {
      background = Palette.values()[rng.nextInt(Palette.values().length)];
    } while (background == color);
    return new ShapeSample(draw(shape, color, background, rng), shape, color, background);
  }

  /** A specific picture with this dataset's jitter drawn from {@code index}. */
  public ShapeSample sample(long index, ShapeKind shape, Palette color, Palette background) {
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    return new ShapeSample(draw(shape, color, background, rng), shape, color, background);
  }

  static BufferedImage draw(ShapeKind shape, Palette color, Palette background, SplittableRandom rng) {
    BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(jitter(background.color(), rng));
      g.fillRect(0, 0, SIZE, SIZE);
      double side = 22 + rng.nextDouble() * 18; // 22..40 px
      double x = 6 + rng.nextDouble() * (SIZE - 12 - side);
      double y = 6 + rng.nextDouble() * (SIZE - 12 - side);
      g.setColor(jitter(color.color(), rng));
      g.fill(shape.outline(x, y, side, side));
    } finally {
      g.dispose();
    }
    addNoise(img, rng);
    return img;
  }

  private static Color jitter(Color c, SplittableRandom rng) {
    return new Color(clamp(c.getRed() + rng.nextInt(-Palette.JITTER, Palette.JITTER + 1)),
        clamp(c.getGreen() + rng.nextInt(-Palette.JITTER, Palette.JITTER + 1)),
        clamp(c.getBlue() + rng.nextInt(-Palette.JITTER, Palette.JITTER + 1)));
  }

  private static void addNoise(BufferedImage img, SplittableRandom rng) {
    for (int yy = 0; yy < img.getHeight(); yy++) {
      for (int xx = 0; xx < img.getWidth(); xx++) {
        int p = img.getRGB(xx, yy);
        int r = clamp(((p >> 16) & 0xFF) + (int) Math.round(gaussian(rng) * NOISE_SIGMA));
        int gg = clamp(((p >> 8) & 0xFF) + (int) Math.round(gaussian(rng) * NOISE_SIGMA));
        int b = clamp((p & 0xFF) + (int) Math.round(gaussian(rng) * NOISE_SIGMA));
        img.setRGB(xx, yy, (r << 16) | (gg << 8) | b);
      }
    }
  }

  private static double gaussian(SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
