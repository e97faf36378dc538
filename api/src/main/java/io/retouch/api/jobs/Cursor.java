package io.retouch.api.jobs;

import io.retouch.common.edit.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/** Opaque keyset cursor: the last job id of a page, base64url-encoded so clients don't parse it. */
final class Cursor {

  private Cursor() {}

  static String encode(UUID lastId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(lastId.toString().getBytes(StandardCharsets.US_ASCII));
  }

  static Optional<UUID> decode(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          UUID.fromString(
              new String(
                  Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.US_ASCII)));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("cursor", "cursor is not valid; use next_cursor as given");
    }
  }
}
