package io.retouch.e2e;

import io.retouch.testkit.images.SampleImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Real images for requests, and reading back what the service produced. */
final class TestImages {

  private TestImages() {}

  static byte[] png(int width, int height, Color color) {
    return SampleImages.png(width, height, color);
  }

  static byte[] jpeg(int width, int height, Color color) {
    return SampleImages.jpeg(width, height, color);
  }

  static String inline(String fileName, byte[] bytes) {
    return "{\"file_name\":\"%s\",\"image_src\":{\"base64\":\"%s\"}}"
        .formatted(fileName, Base64.getEncoder().encodeToString(bytes));
  }

  static String url(String fileName, String url) {
    return "{\"file_name\":\"%s\",\"image_src\":{\"url\":\"%s\"}}".formatted(fileName, url);
  }

  /** Decodes a PNG (and only a PNG) and returns it, failing on anything else. */
  static BufferedImage readPng(byte[] bytes) {
    if (bytes.length < 8 || bytes[0] != (byte) 0x89 || bytes[1] != 'P') {
      throw new AssertionError("not a PNG");
    }
    try {
      return ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
