package io.retouch.common.edit;

import io.retouch.common.image.ImageFormat;
import java.util.Optional;

/** The format the model answers in ({@code output_format}); PNG unless asked otherwise. */
public enum OutputFormat {
  PNG(ImageFormat.PNG),
  JPEG(ImageFormat.JPEG),
  WEBP(ImageFormat.WEBP);

  private final ImageFormat image;

  OutputFormat(ImageFormat image) {
    this.image = image;
  }

  /** The stored image's format: its MIME type and file extension. */
  public ImageFormat image() {
    return image;
  }

  public String wireName() {
    return WireNames.of(this);
  }

  public static Optional<OutputFormat> fromWireName(String value) {
    return WireNames.parse(OutputFormat.class, value);
  }
}
