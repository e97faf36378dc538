package io.retouch.db.webhook;

import io.retouch.common.event.EventType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A delivery as its log shows it: one event to one target, with every attempt.
 *
 * @param origin {@code event} (written with the event), {@code replay} or {@code redeliver}
 * @param nextAttemptAt while pending: when it is sent next
 */
public record Delivery(
    long id,
    long eventId,
    EventType eventType,
    UUID jobId,
    Optional<UUID> endpointId,
    DeliveryStatus status,
    String origin,
    int attempts,
    Optional<Instant> nextAttemptAt,
    Optional<String> lastError,
    Instant createdAt,
    Optional<Instant> finishedAt,
    List<Attempt> attemptLog) {

  /**
   * One attempt.
   *
   * @param httpStatus empty when no answer came (error says why)
   * @param responseExcerpt the first 1 KB of the answer
   */
  public record Attempt(
      int attempt,
      Instant attemptedAt,
      Optional<Integer> httpStatus,
      Optional<String> error,
      long latencyMs,
      Optional<String> responseExcerpt) {}
}
