package io.retouch.e2e;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Real images for requests, and reading back what the service produced. */
final class TestImages {

  private TestImages() {}

  static byte[] png(int width, int height, Color color) {
    return encode(width, height, color, "png");
  }

  static byte[] jpeg(int width, int height, Color color) {
    return encode(width, height, color, "jpg");
  }

  private static byte[] encode(int width, int height, Color color, String format) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, width, height);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
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
