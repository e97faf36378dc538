package io.retouch.common.image;

/**
 * WEBP per RFC 9649: a RIFF container as long as it says, whose chunks all fit, starting with a
 * simple lossy ({@code VP8 }: key frame, start code, partition inside the chunk), lossless ({@code
 * VP8L}: signature, version 0) or extended ({@code VP8X}: canvas size, then an image or an
 * animation) image.
 */
final class WebpStructure {

  private WebpStructure() {}

  static ImageInfo read(ImageBytes b) {
    long riff = Bytes.u32le(b, 4);
    if (riff < 4) {
      throw broken("its RIFF header declares " + riff + " bytes");
    }
    if (riff > b.length() - 8L) {
      throw truncated("after " + b.length() + " of the " + (riff + 8) + " bytes it declares");
    }
    int end = (int) (8 + riff);
    Chunk first = Chunk.at(b, 12, end);
    return switch (first.fourcc) {
      case "VP8 " -> lossy(b, first);
      case "VP8L" -> lossless(b, first);
      case "VP8X" -> extended(b, first, end);
      default -> throw broken("its first chunk is '" + first.fourcc + "', not VP8, VP8L or VP8X");
    };
  }

  private static ImageInfo lossy(ImageBytes b, Chunk chunk) {
    if (chunk.size < 10) {
      throw broken("its VP8 chunk is " + chunk.size + " bytes long");
    }
    int at = chunk.payload;
    int tag = Bytes.u24le(b, at);
    if ((tag & 1) != 0) {
      throw broken("its VP8 data does not start with a key frame");
    }
    if (10L + (tag >>> 5) > chunk.size) {
      throw truncated("inside its VP8 frame");
    }
    if (b.u8(at + 3) != 0x9D || b.u8(at + 4) != 0x01 || b.u8(at + 5) != 0x2A) {
      throw broken("its VP8 frame has no start code");
    }
    int width = Bytes.u16le(b, at + 6) & 0x3FFF;
    int height = Bytes.u16le(b, at + 8) & 0x3FFF;
    return new ImageInfo(ImageFormat.WEBP, width, height);
  }

  private static ImageInfo lossless(ImageBytes b, Chunk chunk) {
    if (chunk.size < 5 || b.u8(chunk.payload) != 0x2F) {
      throw broken("its VP8L chunk has no lossless signature");
    }
    long bits = Bytes.u32le(b, chunk.payload + 1);
    if ((bits >>> 29) != 0) {
      throw broken("its VP8L version is " + (bits >>> 29) + ", not 0");
    }
    int width = (int) (bits & 0x3FFF) + 1;
    int height = (int) ((bits >>> 14) & 0x3FFF) + 1;
    return new ImageInfo(ImageFormat.WEBP, width, height);
  }

  private static ImageInfo extended(ImageBytes b, Chunk header, int end) {
    if (header.size < 10) {
      throw broken("its VP8X chunk is " + header.size + " bytes long");
    }
    boolean animated = (b.u8(header.payload) & 0x02) != 0;
    int width = Bytes.u24le(b, header.payload + 4) + 1;
    int height = Bytes.u24le(b, header.payload + 7) + 1;
    boolean image = false;
    boolean frames = false;
    for (int pos = header.next(); pos < end; ) {
      Chunk chunk = Chunk.at(b, pos, end);
      switch (chunk.fourcc) {
        case "VP8 " -> {
          lossy(b, chunk);
          image = true;
        }
        case "VP8L" -> {
          lossless(b, chunk);
          image = true;
        }
        case "ANMF" -> frames = true;
        default -> {}
      }
      pos = chunk.next();
    }
    if (animated ? !frames : !image) {
      throw broken("its extended header is not followed by " + (animated ? "frames" : "an image"));
    }
    return new ImageInfo(ImageFormat.WEBP, width, height);
  }

  /** A RIFF chunk: four-character code, little-endian size, payload padded to an even length. */
  private record Chunk(String fourcc, int payload, long size) {

    static Chunk at(ImageBytes b, int pos, int end) {
      if (pos + 8 > end) {
        throw truncated("inside a chunk header");
      }
      String fourcc = b.latin1(pos, 4);
      long size = Bytes.u32le(b, pos + 4);
      if (pos + 8 + size > end) {
        throw truncated("inside its '" + fourcc.strip() + "' chunk");
      }
      return new Chunk(fourcc, pos + 8, size);
    }

    int next() {
      return (int) (payload + size + (size & 1));
    }
  }

  private static InvalidImageException truncated(String where) {
    return new InvalidImageException("is a truncated WEBP: it ends " + where);
  }

  private static InvalidImageException broken(String why) {
    return new InvalidImageException("is a broken WEBP: " + why);
  }
}
