package io.ptinv.examples.shapes;

import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.Locale;

/** The shapes of the shapes world, each drawn upright inside a square box. */
public enum ShapeKind {
  CIRCLE,
  SQUARE,
  TRIANGLE,
  STAR;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The outline filling the box {@code (x, y, w, h)}: circle/ellipse, square, apex-up triangle, 5-point star. */
  public Shape outline(double x, double y, double w, double h) {
    return switch (this) {
      case CIRCLE -> new Ellipse2D.Double(x, y, w, h);
      case SQUARE -> new Rectangle2D.Double(x, y, w, h);
      case TRIANGLE -> polygon(new double[] {x + w / 2, x + w, x}, new double[] {y, y + h, y + h});
      case STAR -> star(x, y, w, h);
    };
  }

  private static Shape star(double x, double y, double w, double h) {
    double[] xs = new double[10];
    double[] ys = new double[10];
    // outer points on the unit circle from the top, inner radius 0.45; scaled to fill the box
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      double radius = i % 2 == 0 ? 1.0 : 0.45;
      double angle = -Math.PI / 2 + i * Math.PI / 5;
      xs[i] = radius * Math.cos(angle);
      ys[i] = radius * Math.sin(angle);
      minY = Math.min(minY, ys[i]);
      maxY = Math.max(maxY, ys[i]);
    }
    double minX = -Math.cos(Math.PI / 10);
    double spanX = 2 * Math.cos(Math.PI / 10);
    for (int i = 0; i < 10; i++) {
      xs[i] = x + (xs[i] - minX) / spanX * w;
      ys[i] = y + (ys[i] - minY) / (maxY - minY) * h;
    }
    return polygon(xs, ys);
  }

  private static Shape polygon(double[] xs, double[] ys) {
    java.awt.geom.Path2D.Double p = new java.awt.geom.Path2D.Double();
    p.moveTo(xs[0], ys[0]);
    for (int i = 1; i < xs.length; i++) {
      p.lineTo(xs[i], ys[i]);
    }
    p.closePath();
    return p;
  }


  public static ShapeKind parse(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT));
  }
}
