package io.retouch.common.edit;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Output quality; Trieve's default is {@link #LOW}. */
public enum ImageQuality {
  LOW,
  MEDIUM,
  HIGH;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ImageQuality> fromWireName(String value) {
    return Arrays.stream(values()).filter(q -> q.wireName().equals(value)).findFirst();
  }
}
