package io.retouch.db.auth;

import java.util.Locale;

/** What an API key may do, as Trieve ranks it: owner > admin > read. */
public enum Role {
  READ,
  ADMIN,
  OWNER;

  public boolean atLeast(Role required) {
    return compareTo(required) >= 0;
  }

  /** The role a lower-case name stands for, as the schema stores it. */
  public static Role fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
