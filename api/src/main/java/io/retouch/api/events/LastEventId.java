package io.retouch.api.events;

import io.retouch.common.edit.InvalidRequestException;
import java.util.OptionalLong;

/**
 * The {@code Last-Event-ID} a reconnecting {@code EventSource} sends: the id of the last event it
 * got, a non-negative integer; the stream goes on after it.
 */
final class LastEventId {

  private LastEventId() {}

  static OptionalLong parse(String header) {
    if (header == null || header.isBlank()) {
      return OptionalLong.empty();
    }
    String value = header.strip();
    if (!value.matches("[0-9]{1,18}")) {
      throw new InvalidRequestException(
          "Last-Event-ID",
          "the Last-Event-ID header must be the id of an event, got " + brief(value));
    }
    return OptionalLong.of(Long.parseLong(value));
  }

  private static String brief(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "…" : value;
  }
}
