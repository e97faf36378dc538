package io.retouch.common.edit;

import java.util.Arrays;
import java.util.Optional;

/** The output sizes of Trieve's edit_image contract. */
public enum ImageSize {
  SQUARE("1024x1024", 1024, 1024),
  PORTRAIT("1024x1536", 1024, 1536),
  LANDSCAPE("1536x1024", 1536, 1024);

  private final String wireName;
  private final int width;
  private final int height;

  ImageSize(String wireName, int width, int height) {
    this.wireName = wireName;
    this.width = width;
    this.height = height;
  }

  public String wireName() {
    return wireName;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public static Optional<ImageSize> fromWireName(String value) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(value)).findFirst();
  }
}
