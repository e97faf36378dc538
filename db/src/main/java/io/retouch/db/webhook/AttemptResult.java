package io.retouch.db.webhook;

import java.time.Duration;
import java.util.Optional;

/** How one attempt to send a delivery ended, as {@link DeliveryStore#finish} records it. */
public sealed interface AttemptResult {

  /** A 2xx answer. */
  record Delivered(int httpStatus, Duration latency, String excerpt) implements AttemptResult {}

  /**
   * No 2xx answer: another status, a timeout, a refused connection, a redirect (never followed).
   *
   * @param httpStatus empty when no answer came
   * @param retryAfter the answer's {@code Retry-After}, if it had one
   */
  record Failed(
      Optional<Integer> httpStatus,
      String error,
      Duration latency,
      String excerpt,
      Optional<Duration> retryAfter)
      implements AttemptResult {}

  /** The receiver answered 410 Gone: it wants no more, so its endpoint is turned off. */
  record Gone(Duration latency, String excerpt) implements AttemptResult {}

  /** The address policy refused every address of the receiver; nothing was sent. */
  record Refused(String reason) implements AttemptResult {}

  /** Nothing was sent: the target was turned off, or the event's job is gone. */
  record Skipped(String reason) implements AttemptResult {}
}
