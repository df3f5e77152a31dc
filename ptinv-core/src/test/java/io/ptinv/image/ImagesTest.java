package io.ptinv.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ptinv.InvalidInputException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
  @TempDir Path dir;

  static BufferedImage randomRgb(int w, int h, long seed) {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    return img;
  }

  @Test
  void pngRoundTripIsLossless() {
    BufferedImage img = randomRgb(24, 16, 1);
    Path f = dir.resolve("a.png");
    Images.write(img, f);
    BufferedImage back = Images.read(f);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 24; x++) {
        assertThat(back.getRGB(x, y)).isEqualTo(img.getRGB(x, y));
      }
    }
    assertThat(dir.toFile().list()).containsExactly("a.png"); // no temp file left behind
  }

  @Test
  void greyPaletteAndAlphaBecomeRgb() {
    BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(1, 1, 0, 200);
    assertThat(Images.toRgb(grey).getRGB(1, 1) & 0xFFFFFF).isEqualTo(0xC8C8C8);

    byte[] reds = {0, (byte) 255};
    byte[] zeros = {0, 0};
    BufferedImage palette =
        new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, reds, zeros, zeros));
    palette.getRaster().setSample(2, 2, 0, 1);
    BufferedImage rgb = Images.toRgb(palette);
    assertThat(rgb.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(rgb.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0xFF0000);

    BufferedImage alpha = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
    alpha.setRGB(0, 0, 0x00000000); // fully transparent -> white
    alpha.setRGB(1, 0, 0xFF0000FF); // opaque blue stays blue
    BufferedImage flat = Images.toRgb(alpha);
    assertThat(flat.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    assertThat(flat.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x0000FF);
  }

  @Test
  void rejectPolicyNamesTheSize() {
    BufferedImage img = randomRgb(30, 24, 2);
    assertThatThrownBy(() -> Images.fit(img, SizePolicy.reject()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("multiples of 8")
        .hasMessageContaining("30x24");
    assertThat(Images.fit(randomRgb(32, 24, 3), SizePolicy.reject()).getWidth()).isEqualTo(32);
  }

  @Test
  void resizeAndCropGiveMultiples() {
    BufferedImage img = randomRgb(30, 21, 4);
    BufferedImage resized = Images.fit(img, SizePolicy.resize());
    assertThat(resized.getWidth()).isEqualTo(32);
    assertThat(resized.getHeight()).isEqualTo(24);
    BufferedImage cropped = Images.fit(img, SizePolicy.centerCrop());
    assertThat(cropped.getWidth()).isEqualTo(24);
    assertThat(cropped.getHeight()).isEqualTo(16);
    // the crop is centred: pixel (0,0) of the crop is pixel (3,2) of the input
    assertThat(cropped.getRGB(0, 0)).isEqualTo(img.getRGB(3, 2));
    BufferedImage target = Images.fit(img, SizePolicy.centerCrop().withTarget(16, 16));
    assertThat(target.getWidth()).isEqualTo(16);
    assertThat(target.getHeight()).isEqualTo(16);
    assertThat(Images.fit(img, SizePolicy.resize().withDefaultTarget(64, 48)).getHeight()).isEqualTo(48);
  }

  @Test
  void badTargetIsRejected() {
    assertThatThrownBy(() -> SizePolicy.resize().withTarget(30, 32))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("sizePolicy.width");
  }

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("nope.png");
    assertThatThrownBy(() -> Images.read(missing))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nope.png")
        .hasMessageContaining("no such file");
  }

  @Test
  void corruptFileIsNamed() throws Exception {
    Path bad = dir.resolve("bad.png");
    Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2});
    assertThatThrownBy(() -> Images.read(bad))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("bad.png");
    Path text = dir.resolve("notes.png");
    Files.writeString(text, "hello");
    assertThatThrownBy(() -> Images.read(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("notes.png")
        .hasMessageContaining("not a PNG");
  }

  @Test
  void fitKeepsTheAspectRatioAtMultiplesOfTheModelsSize() {
    SizePolicy fit = SizePolicy.fit().withTarget(512, 512);
    BufferedImage photo = Images.fit(randomRgb(400, 300, 3), fit);
    assertThat(photo.getWidth() + "x" + photo.getHeight()).isEqualTo("512x384");
    BufferedImage tall = Images.fit(randomRgb(45, 61, 4), SizePolicy.fit().withTarget(64, 64));
    assertThat(tall.getWidth() + "x" + tall.getHeight()).isEqualTo("48x64"); // 45 * 64/61 = 47.2 -> 48
    BufferedImage tiny = Images.fit(randomRgb(8, 8, 5), SizePolicy.fit().withTarget(64, 64));
    assertThat(tiny.getWidth() + "x" + tiny.getHeight()).isEqualTo("64x64");
    BufferedImage exact = randomRgb(64, 64, 6);
    assertThat(Images.fit(exact, SizePolicy.fit().withTarget(64, 64)).getRGB(7, 9)).isEqualTo(exact.getRGB(7, 9));
  }

  @Test
  void padFitsInsideTheTargetAndRepeatsTheEdges() {
    BufferedImage wide = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 64; x++) {
        wide.setRGB(x, y, y < 16 ? 0xff0000 : 0x0000ff); // red top half, blue bottom half
      }
    }
    BufferedImage padded = Images.fit(wide, SizePolicy.pad().withTarget(64, 64));
    assertThat(padded.getWidth() + "x" + padded.getHeight()).isEqualTo("64x64");
    // the 64x32 image sits in rows 16..47; rows above repeat its top row, rows below its bottom row
    assertThat(padded.getRGB(10, 0) & 0xffffff).isEqualTo(0xff0000);
    assertThat(padded.getRGB(10, 20) & 0xffffff).isEqualTo(0xff0000);
    assertThat(padded.getRGB(10, 40) & 0xffffff).isEqualTo(0x0000ff);
    assertThat(padded.getRGB(10, 63) & 0xffffff).isEqualTo(0x0000ff);
  }

  @Test
  void aDirectoryIsNamedAsSuch() {
    assertThatThrownBy(() -> Images.read(dir)).isInstanceOf(InvalidInputException.class)
        .hasMessage("image: " + dir + " is a directory; expected an image file");
    assertThatThrownBy(() -> Images.read(dir.resolve("none.png"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no such file");
  }
}
