package io.retouch.common.edit;

import java.util.Optional;

/** {@code complexity}: the planning effort of the 2.6 models, separate from render quality. */
public enum Complexity {
  LOW,
  MEDIUM,
  HIGH;

  public String wireName() {
    return WireNames.of(this);
  }

  public static Optional<Complexity> fromWireName(String value) {
    return WireNames.parse(Complexity.class, value);
  }
}
