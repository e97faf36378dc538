package io.retouch.api.auth;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads a header as a UUID only in the spellings Trieve's clients send: hyphenated 8-4-4-4-12 hex
 * digits, or the 32-digit simple form. {@link UUID#fromString} is laxer (it reads
 * "2024-01-02-03-04" as a UUID), which would turn a tracking id into a dataset id.
 */
final class StrictUuid {

  private static final Pattern HYPHENATED =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern SIMPLE = Pattern.compile("[0-9a-fA-F]{32}");

  private StrictUuid() {}

  static Optional<UUID> parse(String value) {
    String hex;
    if (HYPHENATED.matcher(value).matches()) {
      hex = value.replace("-", "");
    } else if (SIMPLE.matcher(value).matches()) {
      hex = value;
    } else {
      return Optional.empty();
    }
    return Optional.of(
        new UUID(Long.parseUnsignedLong(hex, 0, 16, 16), Long.parseUnsignedLong(hex, 16, 32, 16)));
  }
}
