package io.retouch.common.edit;

import java.util.Optional;

/** {@code background}: a transparent one needs an output format with alpha (PNG, WEBP). */
public enum Background {
  TRANSPARENT,
  OPAQUE,
  AUTO;

  public String wireName() {
    return WireNames.of(this);
  }

  public static Optional<Background> fromWireName(String value) {
    return WireNames.parse(Background.class, value);
  }
}
