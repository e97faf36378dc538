package io.retouch.common.image;

/**
 * What an image's own header says about it, read without decoding a pixel.
 *
 * @param format the container format, from the magic bytes
 * @param width width in pixels, as the header declares it
 * @param height height in pixels, as the header declares it
 */
public record ImageInfo(ImageFormat format, int width, int height) {

  public long pixels() {
    return (long) width * height;
  }
}
