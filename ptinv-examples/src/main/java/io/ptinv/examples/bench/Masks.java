package io.ptinv.examples.bench;

/** Square-neighbourhood dilation and erosion of binary masks. */
public final class Masks {
  private Masks() {}

  /** Pixels within {@code r} (Chebyshev distance) of a set pixel. */
  public static boolean[] dilate(boolean[] m, int w, int h, int r) {
    return morph(m, w, h, r, true);
  }

  /** Set pixels whose whole {@code (2r+1)^2} neighbourhood is set (outside the image counts as unset). */
  public static boolean[] erode(boolean[] m, int w, int h, int r) {
    return morph(m, w, h, r, false);
  }

  /** Pixels farther than {@code r} from both masks: what a colour or shape edit should leave alone. */
  public static boolean[] outsideBoth(boolean[] a, boolean[] b, int w, int h, int r) {
    boolean[] union = new boolean[a.length];
    for (int i = 0; i < union.length; i++) {
      union[i] = a[i] || b[i];
    }
    boolean[] grown = dilate(union, w, h, r);
    boolean[] out = new boolean[grown.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = !grown[i];
    }
    return out;
  }

  private static boolean[] morph(boolean[] m, int w, int h, int r, boolean dilate) {
    boolean[] out = new boolean[m.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean v = !dilate;
        for (int dy = -r; dy <= r && v != dilate; dy++) {
          for (int dx = -r; dx <= r; dx++) {
            int xx = x + dx;
            int yy = y + dy;
            boolean inside = xx >= 0 && yy >= 0 && xx < w && yy < h && m[yy * w + xx];
            if (dilate && inside) {
              v = true;
              break;
            }
            if (!dilate && !inside) {
              v = false;
              break;
            }
          }
        }
        out[y * w + x] = v;
      }
    }
    return out;
  }
}
