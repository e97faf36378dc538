package io.retouch.api.http;

import io.retouch.common.edit.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Opaque keyset cursors: the last id of a page (a job's UUID, a delivery's number),
 * base64url-encoded so clients don't parse them.
 */
public final class Cursor {

  private Cursor() {}

  public static String encode(UUID lastId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(lastId.toString().getBytes(StandardCharsets.US_ASCII));
  }

  public static Optional<UUID> decode(String cursor) {
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

  public static String encode(long lastId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(Long.toString(lastId).getBytes(StandardCharsets.US_ASCII));
  }

  public static Optional<Long> decodeNumber(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          Long.parseLong(
              new String(
                  Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.US_ASCII)));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("cursor", "cursor is not valid; use next_cursor as given");
    }
  }
}
