package io.ptinv.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ptinv.examples.shapes.ShapesDataset;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageMetricsTest {

  private static BufferedImage plus(BufferedImage img, int delta) {
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y);
        int r = Math.min(255, ((p >> 16) & 0xFF) + delta);
        int g = Math.min(255, ((p >> 8) & 0xFF) + delta);
        int b = Math.min(255, (p & 0xFF) + delta);
        out.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return out;
  }

  @Test
  void psnrHasTheClosedFormForAConstantOffset() {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB); // black: no clipping at +10
    // MSE = 100, PSNR = 10 log10(65025 / 100) = 28.13 dB
    assertThat(ImageMetrics.psnr(img, plus(img, 10))).isCloseTo(10 * Math.log10(65025 / 100.0), within(1e-9));
    assertThat(ImageMetrics.psnr(img, img)).isEqualTo(100);
    boolean[] none = new boolean[256];
    none[3] = true;
    assertThat(ImageMetrics.psnr(img, plus(img, 10), none)).isCloseTo(28.13, within(0.01));
  }

  @Test
  void ssimIsOneForIdenticalImagesAndDropsWithStructureLoss() {
    BufferedImage a = new ShapesDataset(3).sample(0).image();
    assertThat(ImageMetrics.ssim(a, a)).isCloseTo(1.0, within(1e-12));
    BufferedImage flat = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    assertThat(ImageMetrics.ssim(a, flat)).isLessThan(0.5);
    assertThat(ImageMetrics.ssim(a, plus(a, 3))).isGreaterThan(0.9);
  }
}
