package io.retouch.common.image;

import io.retouch.common.spool.SpooledBytes;

/**
 * Checks that bytes are a whole, well-formed PNG, JPEG or WEBP within {@link ImageLimits}, by
 * walking the container structure (chunks, segments) without decoding pixels. Magic bytes alone let
 * through 8-byte "PNG"s and truncated uploads that waste a paid model call.
 */
public final class ImageInspector {

  private ImageInspector() {}

  /**
   * @throws InvalidImageException naming what is wrong
   */
  public static ImageInfo inspect(byte[] bytes) {
    return inspect(ImageBytes.of(bytes));
  }

  /**
   * Inspects spooled bytes where they are, reading them through a small window.
   *
   * @throws InvalidImageException naming what is wrong
   */
  public static ImageInfo inspect(SpooledBytes bytes) {
    return inspect(ImageBytes.of(bytes));
  }

  private static ImageInfo inspect(ImageBytes bytes) {
    ImageFormat format =
        ImageFormat.sniff(bytes)
            .orElseThrow(() -> new InvalidImageException("is not a PNG, JPEG or WEBP image"));
    ImageInfo info =
        switch (format) {
          case PNG -> PngStructure.read(bytes);
          case JPEG -> JpegStructure.read(bytes);
          case WEBP -> WebpStructure.read(bytes);
        };
    ImageLimits.check(info);
    return info;
  }
}
