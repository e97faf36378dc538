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

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
