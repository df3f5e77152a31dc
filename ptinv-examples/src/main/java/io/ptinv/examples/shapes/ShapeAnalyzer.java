package io.ptinv.examples.shapes;

import java.awt.Shape;
import java.awt.image.BufferedImage;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Reads a shapes-world image without any neural network: the background colour is the median of the
 * border pixels; the shape's mask is the largest 4-connected region of pixels far from it (RGB distance
 * above {@value #MASK_DISTANCE}); the shape's colour is the median of the mask's interior; the shape class
 * is the template (circle, square, triangle, star, each fitted to the mask's bounding box) with the highest
 * intersection-over-union with the mask.
 */
public final class ShapeAnalyzer {
  /** RGB distance from the background above which a pixel belongs to the shape. */
  public static final double MASK_DISTANCE = 60;
  private static final int BORDER = 2;

  private ShapeAnalyzer() {}

  /**
   * @param color the shape's colour (null when no shape was found)
   * @param background the background colour
   * @param shape the best-matching template (null when no shape was found)
   * @param iou that template's intersection-over-union with the mask
   * @param mask row-major, true on the shape
   */
  public record Analysis(Palette color, Palette background, ShapeKind shape, double iou, boolean[] mask, int width, int height) {
    public boolean found() {
      return shape != null;
    }

    /** Whether every attribute matches {@code expected}. */
    public boolean matches(ShapeSample expected) {
      return matches(expected.color(), expected.shape(), expected.background());
    }

    public boolean matches(Palette c, ShapeKind s, Palette bg) {
      return color == c && shape == s && background == bg;
    }

    public int area() {
      int n = 0;
      for (boolean b : mask) {
        n += b ? 1 : 0;
      }
      return n;
    }
  }

  public static Analysis analyze(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
    double[] bg = borderMedian(rgb, w, h);
    Palette background = Palette.nearest(bg[0], bg[1], bg[2]);
    boolean[] far = new boolean[w * h];
    for (int i = 0; i < far.length; i++) {
      far[i] = distance(rgb[i], bg) > MASK_DISTANCE;
    }
    boolean[] mask = largestComponent(far, w, h);
    int area = 0;
    for (boolean b : mask) {
      area += b ? 1 : 0;
    }
    if (area < 12) {
      return new Analysis(null, background, null, 0, mask, w, h);
    }
    double[] fg = interiorMedian(rgb, mask, w, h);
    Palette color = Palette.nearest(fg[0], fg[1], fg[2]);
    int[] box = boundingBox(mask, w, h);
    ShapeKind best = null;
    double bestIou = -1;
    for (ShapeKind kind : ShapeKind.values()) {
      double iou = iou(mask, kind.outline(box[0], box[1], box[2] - box[0] + 1, box[3] - box[1] + 1), w, h);
      if (iou > bestIou) {
        bestIou = iou;
        best = kind;
      }
    }
    return new Analysis(color, background, best, bestIou, mask, w, h);
  }

  private static double distance(int p, double[] ref) {
    double dr = ((p >> 16) & 0xFF) - ref[0];
    double dg = ((p >> 8) & 0xFF) - ref[1];
    double db = (p & 0xFF) - ref[2];
    return Math.sqrt(dr * dr + dg * dg + db * db);
  }

  private static double[] borderMedian(int[] rgb, int w, int h) {
    int[][] ch = new int[3][];
    int count = 0;
    int[] idx = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (x < BORDER || y < BORDER || x >= w - BORDER || y >= h - BORDER) {
          idx[count++] = y * w + x;
        }
      }
    }
    for (int c = 0; c < 3; c++) {
      ch[c] = new int[count];
      for (int i = 0; i < count; i++) {
        ch[c][i] = (rgb[idx[i]] >> (16 - 8 * c)) & 0xFF;
      }
    }
    return new double[] {median(ch[0]), median(ch[1]), median(ch[2])};
  }

  /** Median colour of mask pixels whose 4 neighbours are in the mask too (all mask pixels if none are). */
  private static double[] interiorMedian(int[] rgb, boolean[] mask, int w, int h) {
    int[] idx = new int[mask.length];
    int n = 0;
    for (int y = 1; y < h - 1; y++) {
      for (int x = 1; x < w - 1; x++) {
        int i = y * w + x;
        if (mask[i] && mask[i - 1] && mask[i + 1] && mask[i - w] && mask[i + w]) {
          idx[n++] = i;
        }
      }
    }
    if (n == 0) {
      for (int i = 0; i < mask.length; i++) {
        if (mask[i]) {
          idx[n++] = i;
        }
      }
    }
    double[] out = new double[3];
    for (int c = 0; c < 3; c++) {
      int[] v = new int[n];
      for (int i = 0; i < n; i++) {
        v[i] = (rgb[idx[i]] >> (16 - 8 * c)) & 0xFF;
      }
      out[c] = median(v);
    }
    return out;
  }

  private static double median(int[] v) {
    int[] s = v.clone();
    Arrays.sort(s);
    return s.length == 0 ? 0 : s[s.length / 2];
  }

  private static boolean[] largestComponent(boolean[] on, int w, int h) {
    int[] label = new int[on.length];
    int bestLabel = 0;
    int bestSize = 0;
    int next = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int start = 0; start < on.length; start++) {
      if (!on[start] || label[start] != 0) {
        continue;
      }
      next++;
      int size = 0;
      label[start] = next;
      queue.add(start);
      while (!queue.isEmpty()) {
        int i = queue.poll();
        size++;
        int x = i % w;
        int y = i / w;
        int[] nbs = {x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1};
        for (int nb : nbs) {
          if (nb >= 0 && on[nb] && label[nb] == 0) {
            label[nb] = next;
            queue.add(nb);
          }
        }
      }
      if (size > bestSize) {
        bestSize = size;
        bestLabel = next;
      }
    }
    boolean[] out = new boolean[on.length];
    for (int i = 0; i < on.length; i++) {
      out[i] = bestLabel != 0 && label[i] == bestLabel;
    }
    return out;
  }

  private static int[] boundingBox(boolean[] mask, int w, int h) {
    int x0 = w;
    int y0 = h;
    int x1 = -1;
    int y1 = -1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (mask[y * w + x]) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      }
    }
    return new int[] {x0, y0, x1, y1};
  }

  private static double iou(boolean[] mask, Shape template, int w, int h) {
    int inter = 0;
    int union = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean t = template.contains(x + 0.5, y + 0.5);
        boolean m = mask[y * w + x];
        inter += t && m ? 1 : 0;
        union += t || m ? 1 : 0;
      }
    }
    return union == 0 ? 0 : (double) inter / union;
  }
}
