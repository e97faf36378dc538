package io.retouch.common.image;

/** Unsigned reads from image headers; callers have checked the bounds. */
final class Bytes {

  private Bytes() {}

  static long u32be(ImageBytes b, int at) {
    return ((long) b.u8(at) << 24) | (b.u8(at + 1) << 16) | (b.u8(at + 2) << 8) | b.u8(at + 3);
  }

  static int u16be(ImageBytes b, int at) {
    return (b.u8(at) << 8) | b.u8(at + 1);
  }

  static long u32le(ImageBytes b, int at) {
    return b.u8(at) | (b.u8(at + 1) << 8) | (b.u8(at + 2) << 16) | ((long) b.u8(at + 3) << 24);
  }

  static int u24le(ImageBytes b, int at) {
    return b.u8(at) | (b.u8(at + 1) << 8) | (b.u8(at + 2) << 16);
  }

  static int u16le(ImageBytes b, int at) {
    return b.u8(at) | (b.u8(at + 1) << 8);
  }
}
