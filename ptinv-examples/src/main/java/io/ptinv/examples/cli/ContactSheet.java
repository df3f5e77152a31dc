package io.ptinv.examples.cli;

import io.ptinv.image.Images;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** A row of equally sized tiles with a caption under each and a title above. */
final class ContactSheet {
  private static final int TILE = 256;
  private static final int GAP = 8;
  private static final int CAPTION = 24;

  private ContactSheet() {}

  static BufferedImage render(List<BufferedImage> images, List<String> labels, String title) {
    int w = GAP + images.size() * (TILE + GAP);
    int h = CAPTION + GAP + TILE + CAPTION + GAP;
    BufferedImage sheet = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString("\"" + title + "\"", GAP, CAPTION - 6);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      for (int i = 0; i < images.size(); i++) {
        int x = GAP + i * (TILE + GAP);
        g.drawImage(Images.resize(images.get(i), TILE, TILE), x, CAPTION + GAP, null);
        g.drawString(labels.get(i), x, CAPTION + GAP + TILE + CAPTION - 6);
      }
    } finally {
      g.dispose();
    }
    return sheet;
  }
}
