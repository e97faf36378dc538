package io.retouch.api.jobs;

import io.retouch.common.edit.InvalidRequestException;
import java.util.Optional;

/** The shape an {@code Idempotency-Key} header must have. */
final class IdempotencyKeys {

  static final int MAX_LENGTH = 255;

  private IdempotencyKeys() {}

  static Optional<String> validate(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String key = header.strip();
    if (key.isEmpty()
        || key.length() > MAX_LENGTH
        || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
      throw new InvalidRequestException(
          "Idempotency-Key",
          "Idempotency-Key must be 1 to " + MAX_LENGTH + " visible ASCII characters");
    }
    return Optional.of(key);
  }
}
