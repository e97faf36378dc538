package io.retouch.testkit.openai;

import io.retouch.testkit.images.SampleImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Small real images for requests, and decoding of the fake's answers. */
final class TestImages {

  private TestImages() {}

  static byte[] png(int width, int height, Color color) {
    return SampleImages.png(width, height, color);
  }

  static byte[] jpeg(int width, int height, Color color) {
    return SampleImages.jpeg(width, height, color);
  }

  static byte[] webp() {
    return SampleImages.webp(1, 1);
  }

  static BufferedImage decode(byte[] bytes) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      if (image == null) {
        throw new AssertionError("not a decodable image");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
