package io.retouch.common.image;

/**
 * The largest input image Retouch passes on. The GPT image models scale inputs down to at most a
 * few megapixels, so a larger declaration is a mistake or an attempt to make someone decode a
 * decompression bomb; refusing it costs the client nothing it could have used.
 */
public final class ImageLimits {

  /** Longest side, in pixels; WEBP's own limit is 16,383. */
  public static final int MAX_SIDE = 16_384;

  /** Most pixels in all: 2^26 (64 Mi, 8192 × 8192). */
  public static final long MAX_PIXELS = 1L << 26;

  private ImageLimits() {}

  static void check(ImageInfo info) {
    String name = info.format().name();
    if (info.width() <= 0 || info.height() <= 0) {
      throw new InvalidImageException(
          "is a broken %s: its header declares %dx%d pixels"
              .formatted(name, info.width(), info.height()));
    }
    if (info.width() > MAX_SIDE || info.height() > MAX_SIDE || info.pixels() > MAX_PIXELS) {
      throw new InvalidImageException(
          "is a %s of %dx%d pixels; images may have at most %d pixels on a side and %d pixels in all"
              .formatted(name, info.width(), info.height(), MAX_SIDE, MAX_PIXELS));
    }
  }
}
