package io.retouch.common.edit;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An output size: one of Trieve's three, {@code auto} (the model chooses), or a custom {@code
 * WIDTHxHEIGHT} the 2.x models accept within their rules (see the capability table).
 *
 * @param width pixels; 0 for {@code auto}
 * @param height pixels; 0 for {@code auto}
 */
public record ImageSize(int width, int height) {

  public static final ImageSize SQUARE = new ImageSize(1024, 1024);
  public static final ImageSize PORTRAIT = new ImageSize(1024, 1536);
  public static final ImageSize LANDSCAPE = new ImageSize(1536, 1024);
  public static final ImageSize AUTO = new ImageSize(0, 0);

  /** The sizes of Trieve's contract, which every model accepts. */
  public static final List<ImageSize> STANDARD = List.of(SQUARE, LANDSCAPE, PORTRAIT);

  private static final Pattern DIMENSIONS = Pattern.compile("([1-9][0-9]{0,4})x([1-9][0-9]{0,4})");

  public ImageSize {
    if (width < 0 || height < 0 || (width == 0) != (height == 0)) {
      throw new IllegalArgumentException("not a size: " + width + "x" + height);
    }
  }

  public boolean isAuto() {
    return width == 0;
  }

  public long pixels() {
    return (long) width * height;
  }

  public String wireName() {
    return isAuto() ? "auto" : width + "x" + height;
  }

  /** {@code auto} or {@code WIDTHxHEIGHT} in decimal without leading zeros; empty otherwise. */
  public static Optional<ImageSize> fromWireName(String value) {
    if ("auto".equals(value)) {
      return Optional.of(AUTO);
    }
    Matcher m = value == null ? null : DIMENSIONS.matcher(value);
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new ImageSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
  }

  @Override
  public String toString() {
    return wireName();
  }
}
