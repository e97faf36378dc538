package io.retouch.common.image;

/**
 * JPEG per ITU-T T.81: start-of-image, whole marker segments, a frame header (SOFn) before the
 * first scan, and an end-of-image marker after the entropy-coded data. A truncated upload is
 * recognised by the missing end-of-image marker, which can only appear as a marker because the
 * encoder stuffs every 0xFF inside scan data.
 */
final class JpegStructure {

  private static final int EOI = 0xD9;
  private static final int SOI = 0xD8;
  private static final int SOS = 0xDA;

  private JpegStructure() {}

  static ImageInfo read(ImageBytes b) {
    int pos = 2;
    ImageInfo info = null;
    boolean scanned = false;
    while (true) {
      if (pos >= b.length()) {
        throw truncated("before its end-of-image marker");
      }
      if (b.u8(pos) != 0xFF) {
        throw broken("there is no marker at byte " + pos);
      }
      while (pos < b.length() && b.u8(pos) == 0xFF) {
        pos++; // fill bytes
      }
      if (pos >= b.length()) {
        throw truncated("inside a marker");
      }
      int marker = b.u8(pos++);
      if (marker == EOI) {
        if (info == null || !scanned) {
          throw broken("it ends before " + (info == null ? "a frame header" : "any image data"));
        }
        return info;
      }
      if (marker == SOI || marker == 0x00) {
        throw broken("marker 0x" + Integer.toHexString(marker) + " is out of place");
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // markers without a segment
      }
      if (pos + 2 > b.length()) {
        throw truncated("inside a marker segment");
      }
      int length = Bytes.u16be(b, pos);
      if (length < 2) {
        throw broken("a marker segment at byte " + pos + " declares " + length + " bytes");
      }
      if (pos + length > b.length()) {
        throw truncated("inside its " + name(marker) + " segment");
      }
      if (isFrameHeader(marker) && info == null) {
        info = frame(b, pos, length);
      }
      pos += length;
      if (marker == SOS) {
        if (info == null) {
          throw broken("its scan starts before its frame header");
        }
        scanned = true;
        pos = nextMarker(b, pos);
      }
    }
  }

  private static ImageInfo frame(ImageBytes b, int at, int length) {
    if (length < 8) {
      throw broken("its frame header is " + length + " bytes long");
    }
    int height = Bytes.u16be(b, at + 3);
    int width = Bytes.u16be(b, at + 5);
    int components = b.u8(at + 7);
    if (components == 0 || length < 8 + 3 * components) {
      throw broken("its frame header declares " + components + " components in " + length);
    }
    return new ImageInfo(ImageFormat.JPEG, width, height);
  }

  /** The position of the first marker after entropy-coded data (FF00 and restarts are data). */
  private static int nextMarker(ImageBytes b, int from) {
    for (int i = from; i < b.length() - 1; i++) {
      if (b.u8(i) == 0xFF) {
        int next = b.u8(i + 1);
        if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
          i++;
        } else if (next != 0xFF) {
          return i;
        }
      }
    }
    throw truncated("inside its image data, before its end-of-image marker");
  }

  /** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
  private static boolean isFrameHeader(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  private static String name(int marker) {
    if (isFrameHeader(marker)) {
      return "frame header";
    }
    return switch (marker) {
      case SOS -> "scan header";
      case 0xC4 -> "Huffman table";
      case 0xDB -> "quantization table";
      default -> "0x" + Integer.toHexString(marker).toUpperCase(java.util.Locale.ROOT) + " marker";
    };
  }

  private static InvalidImageException truncated(String where) {
    return new InvalidImageException("is a truncated JPEG: it ends " + where);
  }

  private static InvalidImageException broken(String why) {
    return new InvalidImageException("is a broken JPEG: " + why);
  }
}
