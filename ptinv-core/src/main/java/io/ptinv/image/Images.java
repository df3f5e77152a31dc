package io.ptinv.image;

import io.ptinv.InvalidInputException;
import io.ptinv.PtinvException;
import io.ptinv.files.InputFiles;
import io.ptinv.files.OutputFiles;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Reading, writing, colour conversion and the {@link SizePolicy} for images. */
public final class Images {
  private Images() {}

  /**
   * Reads an image file (PNG, JPEG, BMP, GIF: whatever ImageIO reads) as 8-bit RGB.
   *
   * @throws InvalidInputException naming the file if it is missing, unreadable, or not an image
   */
  public static BufferedImage read(Path file) {
    InputFiles.checkRegularFile(file, "image", "an image file");
    BufferedImage image;
    try (InputStream in = Files.newInputStream(file)) {
      image = ImageIO.read(in);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException("image", "cannot read " + file + " as an image: " + e.getMessage(), e);
    }
    if (image == null) {
      throw new InvalidInputException(
          "image", "cannot read " + file + ": not a PNG, JPEG, BMP or GIF image, or the file is corrupt");
    }
    return toRgb(image);
  }

  /**
   * Writes {@code image} in the format its extension names (png by default); the file appears complete
   * or not at all (written to a temporary file beside it, then moved).
   */
  public static void write(BufferedImage image, Path file) {
    InvalidInputException.requireNonNull(image, "image");
    InvalidInputException.requireNonNull(file, "file");
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String format = name.endsWith(".jpg") || name.endsWith(".jpeg") ? "jpeg" : name.endsWith(".bmp") ? "bmp" : "png";
    try {
      Path tmp = OutputFiles.createTemp(file);
      try {
        if (!ImageIO.write(toRgb(image), format, tmp.toFile())) {
          throw new PtinvException("no ImageIO writer for format " + format);
        }
        OutputFiles.commit(tmp, file);
      } finally {
        OutputFiles.discard(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write image " + file, e);
    }
  }

  /**
   * Any image (grey, palette, 16-bit, with alpha) as {@link BufferedImage#TYPE_INT_RGB}. Transparent pixels
   * are composited over white.
   */
  public static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(java.awt.Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  /** Applies {@code policy} to an RGB copy of {@code image}; see {@link SizePolicy} for the rules. */
  public static BufferedImage fit(BufferedImage image, SizePolicy policy) {
    BufferedImage rgb = toRgb(image);
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    int m = policy.multiple();
    return switch (policy.mode()) {
      case REJECT -> {
        boolean ok = w % m == 0 && h % m == 0 && (!policy.hasTarget() || (w == policy.width() && h == policy.height()));
        InvalidInputException.check(
            ok,
            "image",
            policy.hasTarget()
                ? policy.width() + "x" + policy.height() + " pixels (size policy REJECT)"
                : "width and height multiples of " + m + " (size policy REJECT)",
            w + "x" + h);
        yield rgb;
      }
      case RESIZE -> {
        int tw = policy.hasTarget() ? policy.width() : roundToMultiple(w, m);
        int th = policy.hasTarget() ? policy.height() : roundToMultiple(h, m);
        yield tw == w && th == h ? rgb : resize(rgb, tw, th);
      }
      case FIT -> {
        double scale = policy.hasTarget() ? Math.min((double) policy.width() / w, (double) policy.height() / h) : 1;
        int tw = roundToMultiple((int) Math.round(w * scale), m);
        int th = roundToMultiple((int) Math.round(h * scale), m);
        yield tw == w && th == h ? rgb : resize(rgb, tw, th);
      }
      case PAD -> {
        int tw = policy.hasTarget() ? policy.width() : Math.max(m, (w + m - 1) / m * m);
        int th = policy.hasTarget() ? policy.height() : Math.max(m, (h + m - 1) / m * m);
        double scale = Math.min((double) tw / w, (double) th / h);
        int sw = Math.max(1, Math.min(tw, (int) Math.round(w * scale)));
        int sh = Math.max(1, Math.min(th, (int) Math.round(h * scale)));
        yield tw == w && th == h ? rgb : padEdges(rgb, sw, sh, tw, th);
      }
      case CENTER_CROP -> {
        if (!policy.hasTarget()) {
          yield crop(rgb, Math.max(m, w - w % m), Math.max(m, h - h % m));
        }
        double scale = Math.max((double) policy.width() / w, (double) policy.height() / h);
        int sw = Math.max(policy.width(), (int) Math.round(w * scale));
        int sh = Math.max(policy.height(), (int) Math.round(h * scale));
        BufferedImage scaled = sw == w && sh == h ? rgb : resize(rgb, sw, sh);
        yield crop(scaled, policy.width(), policy.height());
      }
    };
  }

  /** {@code image} scaled to {@code sw x sh}, then padded centred to {@code tw x th} by repeating edge pixels. */
  private static BufferedImage padEdges(BufferedImage image, int sw, int sh, int tw, int th) {
    BufferedImage scaled = sw == image.getWidth() && sh == image.getHeight() ? image : resize(image, sw, sh);
    int x0 = (tw - sw) / 2;
    int y0 = (th - sh) / 2;
    BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < th; y++) {
      int sy = Math.min(sh - 1, Math.max(0, y - y0));
      for (int x = 0; x < tw; x++) {
        int sx = Math.min(sw - 1, Math.max(0, x - x0));
        out.setRGB(x, y, scaled.getRGB(sx, sy));
      }
    }
    return out;
  }

  private static int roundToMultiple(int size, int m) {
    return Math.max(m, Math.round((float) size / m) * m);
  }

  private static BufferedImage crop(BufferedImage image, int cw, int ch) {
    int cwc = Math.min(cw, image.getWidth());
    int chc = Math.min(ch, image.getHeight());
    if (cwc != cw || chc != ch) {
      return resize(image, cw, ch); // smaller than one multiple: scale up instead
    }
    int x = (image.getWidth() - cw) / 2;
    int y = (image.getHeight() - ch) / 2;
    BufferedImage out = new BufferedImage(cw, ch, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(image, -x, -y, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Bicubic resize to {@code w x h}. */
  public static BufferedImage resize(BufferedImage image, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
