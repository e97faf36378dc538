package io.retouch.common.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * Small well-formed images for request tests, and the pieces to build broken ones: PNG chunks with
 * their CRCs, WEBP RIFF chunks, a JPEG from the JDK's encoder.
 */
public final class Images {

  private Images() {}

  /** A 1×1 greyscale PNG. */
  public static byte[] png() {
    return png(1, 1);
  }

  /** A PNG whose IHDR declares {@code width × height}; its data is one row's worth. */
  public static byte[] png(int width, int height) {
    return concat(
        pngSignature(),
        ihdr(width, height, 8, 0),
        pngChunk("IDAT", deflate(new byte[2])),
        pngChunk("IEND", new byte[0]));
  }

  public static byte[] pngSignature() {
    return new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  }

  public static byte[] ihdr(long width, long height, int depth, int colorType) {
    ByteBuffer data = ByteBuffer.allocate(13);
    data.putInt((int) width).putInt((int) height).put((byte) depth).put((byte) colorType);
    data.put((byte) 0).put((byte) 0).put((byte) 0);
    return pngChunk("IHDR", data.array());
  }

  /** A PNG chunk: length, type, data and the CRC over type and data. */
  public static byte[] pngChunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length)
        .putInt(data.length)
        .put(typeBytes)
        .put(data)
        .putInt((int) crc.getValue())
        .array();
  }

  /** A baseline JPEG from the JDK's encoder. */
  public static byte[] jpeg() {
    return jpeg(8, 8);
  }

  public static byte[] jpeg(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "jpg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A lossless WEBP header for a 1×1 image. */
  public static byte[] webp() {
    return webp(1, 1);
  }

  /** A lossless (VP8L) WEBP: RIFF, the VP8L header for {@code width × height}, a little data. */
  public static byte[] webp(int width, int height) {
    ByteBuffer vp8l = le(9).put((byte) 0x2F);
    vp8l.putInt((width - 1) | ((height - 1) << 14)).put(new byte[4]);
    return riff(riffChunk("VP8L", vp8l.array()));
  }

  /** A lossy (VP8) WEBP key frame header for {@code width × height}. */
  public static byte[] lossyWebp(int width, int height) {
    int partition = 4;
    ByteBuffer frame = le(10 + partition);
    int tag = (1 << 4) | (partition << 5); // key frame, version 0, shown
    frame.put((byte) tag).put((byte) (tag >> 8)).put((byte) (tag >> 16));
    frame.put((byte) 0x9D).put((byte) 0x01).put((byte) 0x2A);
    frame.putShort((short) width).putShort((short) height);
    return riff(riffChunk("VP8 ", frame.array()));
  }

  /** A RIFF/WEBP file around {@code chunks}, its size field as the format requires. */
  public static byte[] riff(byte[]... chunks) {
    byte[] body = concat(chunks);
    return concat(
        "RIFF".getBytes(StandardCharsets.US_ASCII),
        le(4).putInt(4 + body.length).array(),
        "WEBP".getBytes(StandardCharsets.US_ASCII),
        body);
  }

  /** A RIFF chunk, padded to an even length. */
  public static byte[] riffChunk(String fourcc, byte[] payload) {
    ByteBuffer chunk = le(8 + payload.length + (payload.length & 1));
    chunk.put(fourcc.getBytes(StandardCharsets.US_ASCII)).putInt(payload.length).put(payload);
    return chunk.array();
  }

  /** The VP8X payload: flags and the canvas size. */
  public static byte[] vp8x(boolean animated, int width, int height) {
    ByteBuffer header = le(10).put((byte) (animated ? 0x02 : 0)).put(new byte[3]);
    putU24(header, width - 1);
    putU24(header, height - 1);
    return header.array();
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  public static byte[] cut(byte[] bytes, int length) {
    return java.util.Arrays.copyOf(bytes, length);
  }

  public static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void putU24(ByteBuffer buffer, int value) {
    buffer.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
  }

  private static byte[] deflate(byte[] raw) {
    Deflater deflater = new Deflater();
    deflater.setInput(raw);
    deflater.finish();
    byte[] out = new byte[64];
    int n = deflater.deflate(out);
    deflater.end();
    return java.util.Arrays.copyOf(out, n);
  }
}
