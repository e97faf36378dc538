package io.retouch.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the encoder writes, a WEBP decoder (TwelveMonkeys') reads back pixel for pixel. */
class WebpEncoderTest {

  @ParameterizedTest(name = "{0}x{1} {2} colours, alpha {3}")
  @CsvSource({
    "1, 1, 1, false",
    "3, 2, 2, false",
    "16, 16, 3, true",
    "64, 48, 256, false",
    "100, 37, 100000, true",
    "512, 512, 7, false"
  })
  void decodes_to_the_pixels_encoded(int width, int height, int colours, boolean alpha)
      throws IOException {
    Random random = new Random(width * 31L + height);
    int[] palette = new int[Math.min(colours, width * height)];
    for (int i = 0; i < palette.length; i++) {
      palette[i] = alpha ? random.nextInt() : random.nextInt() | 0xFF000000;
    }
    int[] argb = new int[width * height];
    for (int i = 0; i < argb.length; i++) {
      argb[i] =
          palette[colours >= argb.length ? i % palette.length : random.nextInt(palette.length)];
    }

    byte[] webp = WebpEncoder.encode(width, height, argb, alpha);

    BufferedImage image = ImageIO.read(new ByteArrayInputStream(webp));
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(width);
    assertThat(image.getHeight()).isEqualTo(height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int expected = argb[y * width + x];
        int actual = image.getRGB(x, y);
        assertThat(alpha ? actual : actual | 0xFF000000)
            .as("pixel %d,%d", x, y)
            .isEqualTo(expected);
      }
    }
  }
}
