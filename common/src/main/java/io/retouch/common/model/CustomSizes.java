package io.retouch.common.model;

import io.retouch.common.edit.ImageSize;
import java.util.Optional;

/**
 * The rules a custom {@code WIDTHxHEIGHT} must meet on the models that take one.
 *
 * @param multipleOf both sides are multiples of this
 * @param maxEdge longest side
 * @param minPixels fewest pixels in all
 * @param maxPixels most pixels in all
 * @param maxAspectRatio the long side is at most this many times the short side
 */
public record CustomSizes(
    int multipleOf, int maxEdge, long minPixels, long maxPixels, int maxAspectRatio) {

  /**
   * @return why {@code size} breaks a rule, or empty
   */
  public Optional<String> problem(ImageSize size) {
    int w = size.width();
    int h = size.height();
    if (w % multipleOf != 0 || h % multipleOf != 0) {
      return Optional.of("width and height must both be multiples of " + multipleOf);
    }
    if (Math.max(w, h) > maxEdge) {
      return Optional.of("no side may be longer than " + maxEdge + " pixels");
    }
    if (size.pixels() < minPixels || size.pixels() > maxPixels) {
      return Optional.of(
          "it must have between %d and %d pixels in all".formatted(minPixels, maxPixels));
    }
    if (Math.max(w, h) > (long) maxAspectRatio * Math.min(w, h)) {
      return Optional.of(
          "its aspect ratio must be between 1:%d and %d:1"
              .formatted(maxAspectRatio, maxAspectRatio));
    }
    return Optional.empty();
  }
}
