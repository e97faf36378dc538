package io.retouch.common.edit;

import java.util.Optional;

/**
 * Output quality. Trieve's default is {@link #LOW}; {@code xhigh} and {@code max} exist on the 2.5
 * and 2.6 models only (see the capability table).
 */
public enum ImageQuality {
  LOW,
  MEDIUM,
  HIGH,
  XHIGH,
  MAX,
  AUTO;

  public String wireName() {
    return WireNames.of(this);
  }

  public static Optional<ImageQuality> fromWireName(String value) {
    return WireNames.parse(ImageQuality.class, value);
  }
}
