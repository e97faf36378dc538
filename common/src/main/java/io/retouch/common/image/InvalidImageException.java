package io.retouch.common.image;

/**
 * Bytes that are not an image the model could use: not PNG, JPEG or WEBP, truncated, structurally
 * broken, or larger than {@link ImageLimits}. The message completes a sentence that starts with the
 * input's name ("input_images[0] is a truncated PNG: …").
 */
public final class InvalidImageException extends RuntimeException {

  public InvalidImageException(String message) {
    super(message);
  }
}
