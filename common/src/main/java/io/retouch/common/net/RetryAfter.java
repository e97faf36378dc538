package io.retouch.common.net;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The HTTP {@code Retry-After} header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. */
public final class RetryAfter {

  private RetryAfter() {}

  /**
   * @param value the header, or null
   * @param now what an HTTP-date is counted from
   * @return the wait it asks for; empty when absent, unreadable or in the past
   */
  public static Optional<Duration> parse(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String text = value.strip();
    try {
      // seconds, as the RFC says; fractions too, as some servers send
      double seconds = Double.parseDouble(text);
      return seconds < 0 || Double.isNaN(seconds)
          ? Optional.empty()
          : Optional.of(Duration.ofMillis((long) (Math.min(seconds, 1e12) * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(now, at.toInstant());
        return wait.isNegative() ? Optional.empty() : Optional.of(wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}
