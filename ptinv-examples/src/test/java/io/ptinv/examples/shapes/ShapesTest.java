package io.ptinv.examples.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ShapesTest {

  @Test
  void samplesAreDeterministicAndCaptioned() {
    ShapesDataset a = new ShapesDataset(7);
    ShapesDataset b = new ShapesDataset(7);
    ShapeSample s1 = a.sample(123);
    ShapeSample s2 = b.sample(123);
    assertThat(s1.caption()).isEqualTo(s2.caption()).matches("a \\w+ \\w+ on a \\w+ background");
    assertThat(s1.image().getRGB(0, 0, 64, 64, null, 0, 64)).containsExactly(s2.image().getRGB(0, 0, 64, 64, null, 0, 64));
    assertThat(s1.color()).isNotEqualTo(s1.background());
    assertThat(new ShapesDataset(8).sample(123).image().getRGB(0, 0, 64, 64, null, 0, 64))
        .isNotEqualTo(s1.image().getRGB(0, 0, 64, 64, null, 0, 64));
  }

  @Test
  void analyzerReadsGeneratedImages() {
    ShapesDataset data = new ShapesDataset(1);
    int correct = 0;
    int n = 400;
    int[] perShapeWrong = new int[ShapeKind.values().length];
    for (int i = 0; i < n; i++) {
      ShapeSample s = data.sample(i);
      ShapeAnalyzer.Analysis a = ShapeAnalyzer.analyze(s.image());
      if (a.matches(s)) {
        correct++;
      } else {
        perShapeWrong[s.shape().ordinal()]++;
      }
    }
    assertThat(correct).as("analyser accuracy on %d generated images (wrong per shape %s)", n,
        java.util.Arrays.toString(perShapeWrong)).isGreaterThanOrEqualTo(n * 99 / 100);
  }

  @Test
  void analyzerReadsShapesDrawnByOtherMeans() {
    // an unseen drawing: no noise, no antialiasing, other shades of the named colours, off-centre
    BufferedImage img = new BufferedImage(96, 80, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(255, 240, 60)); // a yellow
    g.fillRect(0, 0, 96, 80);
    g.setColor(new Color(120, 40, 150)); // a purple
    g.fill(ShapeKind.STAR.outline(50, 10, 36, 36));
    g.dispose();
    ShapeAnalyzer.Analysis a = ShapeAnalyzer.analyze(img);
    assertThat(a.matches(Palette.PURPLE, ShapeKind.STAR, Palette.YELLOW)).as("%s", a).isTrue();
    assertThat(a.area()).isBetween(300, 900);
  }

  @Test
  void emptyImageHasNoShape() {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    ShapeAnalyzer.Analysis a = ShapeAnalyzer.analyze(img);
    assertThat(a.found()).isFalse();
    assertThat(a.background()).isEqualTo(Palette.BLACK);
  }
}
