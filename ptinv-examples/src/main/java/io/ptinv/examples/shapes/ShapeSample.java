package io.ptinv.examples.shapes;

import java.awt.image.BufferedImage;

/**
 * One generated image and what it shows.
 *
 * @param image 64 x 64 (or the requested size) RGB
 * @param shape the shape drawn
 * @param color the shape's named colour
 * @param background the background's named colour
 */
public record ShapeSample(BufferedImage image, ShapeKind shape, Palette color, Palette background) {

  /** "a red circle on a blue background". */
  public String caption() {
    return caption(color, shape, background);
  }

  public static String caption(Palette color, ShapeKind shape, Palette background) {
    return "a " + color.word() + " " + shape.word() + " on a " + background.word() + " background";
  }
}
