package io.retouch.testkit.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Small, well-formed input images for tests of every module: PNG and JPEG from the JDK's encoders,
 * and a lossless WEBP header (the JDK has no WEBP encoder; Retouch checks WEBP structure, it never
 * decodes pixels). Retouch refuses images that are only magic bytes, so tests need these.
 */
public final class SampleImages {

  private SampleImages() {}

  public static byte[] png(int width, int height, Color color) {
    return encode(filled(width, height, color), "png");
  }

  /** A 1×1 PNG. */
  public static byte[] png() {
    return png(1, 1, Color.WHITE);
  }

  public static byte[] jpeg(int width, int height, Color color) {
    return encode(filled(width, height, color), "jpeg");
  }

  /** An 8×8 JPEG. */
  public static byte[] jpeg() {
    return jpeg(8, 8, Color.WHITE);
  }

  /** A RIFF/WEBP file with a lossless (VP8L) header for {@code width × height}. */
  public static byte[] webp(int width, int height) {
    ByteBuffer file = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
    file.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22);
    file.put("WEBP".getBytes(StandardCharsets.US_ASCII));
    file.put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(9).put((byte) 0x2F);
    file.putInt((width - 1) | ((height - 1) << 14)).put(new byte[5]);
    return file.array();
  }

  private static BufferedImage filled(int width, int height, Color color) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  private static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!javax.imageio.ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
