package io.retouch.common.image;

import java.util.zip.CRC32;

/**
 * PNG per ISO/IEC 15948 (W3C PNG, third edition): signature, IHDR first with a valid bit depth and
 * colour type, every chunk whole with a matching CRC, a palette before the data when the colour
 * type needs one, at least one IDAT, and IEND.
 */
final class PngStructure {

  private static final int SIGNATURE = 8;

  private PngStructure() {}

  static ImageInfo read(ImageBytes b) {
    int pos = SIGNATURE;
    ImageInfo info = null;
    boolean palette = false;
    boolean data = false;
    while (true) {
      if (pos + 8 > b.length()) {
        throw truncated(info == null ? "before its IHDR chunk" : "before its IEND chunk");
      }
      long length = Bytes.u32be(b, pos);
      String type = b.latin1(pos + 4, 4);
      if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        throw broken("a chunk at byte " + pos + " has no valid type");
      }
      if (length > Integer.MAX_VALUE || pos + 12 + length > b.length()) {
        throw truncated("inside its " + type + " chunk");
      }
      int dataStart = pos + 8;
      int len = (int) length;
      checkCrc(b, pos + 4, len + 4, Bytes.u32be(b, dataStart + len), type);
      if (info == null) {
        if (!type.equals("IHDR") || len != 13) {
          throw broken("its first chunk is " + type + ", not a 13-byte IHDR");
        }
        info = header(b, dataStart);
      } else {
        switch (type) {
          case "IHDR" -> throw broken("it has a second IHDR chunk");
          case "PLTE" -> palette = true;
          case "IDAT" -> data = true;
          case "IEND" -> {
            if (!data) {
              throw broken("it has no IDAT chunk");
            }
            if (colorType(b) == 3 && !palette) {
              throw broken("it uses a palette but has no PLTE chunk");
            }
            return info;
          }
          default -> {}
        }
      }
      pos = dataStart + len + 4;
    }
  }

  private static ImageInfo header(ImageBytes b, int at) {
    long width = Bytes.u32be(b, at);
    long height = Bytes.u32be(b, at + 4);
    int depth = b.u8(at + 8);
    int color = b.u8(at + 9);
    boolean valid =
        switch (color) {
          case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
          case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
          case 2, 4, 6 -> depth == 8 || depth == 16;
          default -> false;
        };
    if (!valid) {
      throw broken("its IHDR declares colour type " + color + " with bit depth " + depth);
    }
    if (b.u8(at + 10) != 0 || b.u8(at + 11) != 0 || b.u8(at + 12) > 1) {
      throw broken("its IHDR declares an unknown compression, filter or interlace method");
    }
    return new ImageInfo(ImageFormat.PNG, clamp(width), clamp(height));
  }

  private static int colorType(ImageBytes b) {
    return b.u8(SIGNATURE + 8 + 9);
  }

  /** Widths past 2^31 are as refused as the largest int; the limit check says so. */
  private static int clamp(long value) {
    return (int) Math.min(value, Integer.MAX_VALUE);
  }

  private static void checkCrc(ImageBytes b, int from, int length, long expected, String type) {
    CRC32 crc = new CRC32();
    b.update(crc, from, length);
    if (crc.getValue() != expected) {
      throw broken("the CRC of its " + type + " chunk does not match its content");
    }
  }

  private static InvalidImageException truncated(String where) {
    return new InvalidImageException("is a truncated PNG: it ends " + where);
  }

  private static InvalidImageException broken(String why) {
    return new InvalidImageException("is a broken PNG: " + why);
  }
}
