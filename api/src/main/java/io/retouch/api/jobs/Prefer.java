package io.retouch.api.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The RFC 7240 preferences Retouch honours: {@code respond-async} and {@code wait=N} (seconds).
 * Others, and malformed values, are ignored as the RFC asks.
 */
record Prefer(boolean respondAsync, Optional<Duration> waitFor) {

  static Prefer parse(List<String> headers) {
    boolean async = false;
    Optional<Duration> wait = Optional.empty();
    if (headers != null) {
      for (String header : headers) {
        for (String token : header.split(",")) {
          String preference = token.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
          if (preference.equals("respond-async")) {
            async = true;
          } else if (preference.startsWith("wait=")) {
            try {
              long seconds = Long.parseLong(preference.substring(5).replace("\"", "").strip());
              if (seconds >= 0) {
                wait = Optional.of(Duration.ofSeconds(seconds));
              }
            } catch (NumberFormatException e) {
              // ignored, as any preference we cannot honour
            }
          }
        }
      }
    }
    return new Prefer(async, wait);
  }
}
