package io.retouch.db.webhook;

import io.retouch.common.event.EventType;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A registered webhook endpoint of a dataset (its secrets are read apart, on purpose).
 *
 * @param events the types it receives; empty for every type, including types added later
 * @param disabledReason why Retouch turned it off (410 Gone, days of failures), if it did
 * @param failingSince since when every attempt failed; empty after a success
 * @param lastError the last failure or refusal of a delivery to it
 */
public record WebhookEndpoint(
    UUID id,
    UUID datasetId,
    String url,
    Optional<Set<EventType>> events,
    Optional<String> description,
    boolean enabled,
    Optional<String> disabledReason,
    Optional<Instant> failingSince,
    Optional<String> lastError,
    Optional<Instant> lastErrorAt,
    Instant createdAt,
    Instant updatedAt) {

  /** What its owner sets: everything {@code PATCH} may change. */
  public record Settings(
      String url, Optional<Set<EventType>> events, Optional<String> description, boolean enabled) {}

  public Settings settings() {
    return new Settings(url, events, description, enabled);
  }
}
