package io.retouch.testkit.openai;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes 8-bit RGB or RGBA PNGs. Hand-rolled instead of ImageIO so the deflate level can be the
 * fastest one: the fake's images are mostly flat colour and load tests ask for hundreds of them.
 */
final class PngEncoder {

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private PngEncoder() {}

  /** Encodes {@code width*height} pixels given as {@code 0xRRGGBB} ints, row by row. */
  static byte[] encode(int width, int height, int[] rgb) {
    return encode(width, height, rgb, false);
  }

  /**
   * Encodes {@code width*height} pixels given as {@code 0xAARRGGBB} ints; with {@code alpha} the
   * PNG keeps the alpha channel (colour type 6), without it the alpha bits are ignored.
   */
  static byte[] encode(int width, int height, int[] rgb, boolean alpha) {
    if (rgb.length < width * height) {
      throw new IllegalArgumentException("expected " + width * height + " pixels");
    }
    try {
      ByteArrayOutputStream png = new ByteArrayOutputStream(64 * 1024);
      png.write(SIGNATURE);
      writeChunk(png, "IHDR", header(width, height, alpha));
      writeChunk(png, "IDAT", compressedScanlines(width, height, rgb, alpha));
      writeChunk(png, "IEND", new byte[0]);
      return png.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] header(int width, int height, boolean alpha) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(13);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(width);
    out.writeInt(height);
    out.writeByte(8); // bit depth
    out.writeByte(alpha ? 6 : 2); // colour type: truecolour, with alpha or without
    out.writeByte(0); // compression: deflate
    out.writeByte(0); // filter method: adaptive
    out.writeByte(0); // no interlace
    return bytes.toByteArray();
  }

  private static byte[] compressedScanlines(int width, int height, int[] rgb, boolean alpha)
      throws IOException {
    int channels = alpha ? 4 : 3;
    ByteArrayOutputStream compressed = new ByteArrayOutputStream(32 * 1024);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try (DeflaterOutputStream out = new DeflaterOutputStream(compressed, deflater, 64 * 1024)) {
      byte[] row = new byte[1 + width * channels]; // leading 0 = filter type None
      for (int y = 0; y < height; y++) {
        int base = y * width;
        for (int x = 0; x < width; x++) {
          int pixel = rgb[base + x];
          int at = 1 + x * channels;
          row[at] = (byte) (pixel >>> 16);
          row[at + 1] = (byte) (pixel >>> 8);
          row[at + 2] = (byte) pixel;
          if (alpha) {
            row[at + 3] = (byte) (pixel >>> 24);
          }
        }
        out.write(row);
      }
    } finally {
      deflater.end();
    }
    return compressed.toByteArray();
  }

  private static void writeChunk(ByteArrayOutputStream png, String type, byte[] data)
      throws IOException {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    DataOutputStream out = new DataOutputStream(png);
    out.writeInt(data.length);
    out.write(typeBytes);
    out.write(data);
    out.writeInt((int) crc.getValue());
  }
}
