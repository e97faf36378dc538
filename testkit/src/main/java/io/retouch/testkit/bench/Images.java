package io.retouch.testkit.bench;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * The benchmark's inputs: plain small PNGs, and noise PNGs of a given size (noise won't shrink).
 */
final class Images {

  private Images() {}

  static byte[] plain(int width, int height) {
    return io.retouch.testkit.images.SampleImages.png(width, height, new Color(200, 120, 40));
  }

  /** A PNG of random RGB pixels of about {@code bytes} bytes. */
  static byte[] noise(long bytes) {
    int side = (int) Math.ceil(Math.sqrt(bytes / 3.0));
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    SplittableRandom random = new SplittableRandom(side);
    int[] row = new int[side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        row[x] = random.nextInt() & 0xffffff;
      }
      image.setRGB(0, y, side, 1, row, 0, side);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) (bytes + bytes / 8));
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Trieve's request body for one inline image. */
  static String request(byte[] png, String prompt) {
    return "{\"input_images\":[{\"file_name\":\"in.png\",\"image_src\":{\"base64\":\""
        + Base64.getEncoder().encodeToString(png)
        + "\"}}],\"prompt\":\""
        + prompt
        + "\",\"n\":1,\"size\":\"1024x1024\"}";
  }
}
