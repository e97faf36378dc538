package io.retouch.api.webhooks;

import io.retouch.common.event.EventType;
import io.retouch.db.webhook.Delivery;
import io.retouch.db.webhook.EndpointSecrets;
import io.retouch.db.webhook.WebhookEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The webhook resources as clients see them (snake_case on the wire, RFC 3339 times). */
final class WebhookViews {

  private WebhookViews() {}

  /**
   * An endpoint. {@code events} null: every type. {@code secret} only in the answer that creates
   * it; {@code GET …/secret} shows it again.
   */
  record EndpointView(
      UUID id,
      String url,
      List<String> events,
      String description,
      boolean enabled,
      String disabledReason,
      Instant failingSince,
      String lastError,
      Instant lastErrorAt,
      Instant createdAt,
      Instant updatedAt,
      String secret) {}

  /** The secrets that sign now: {@code previous_secret} while it still signs after a rotation. */
  record SecretView(String secret, String previousSecret, Instant previousSecretExpiresAt) {}

  record EndpointList(List<EndpointView> endpoints) {}

  record AttemptView(
      int attempt,
      Instant attemptedAt,
      Integer httpStatus,
      String error,
      long latencyMs,
      String responseExcerpt) {}

  record DeliveryView(
      long id,
      long eventId,
      String eventType,
      UUID jobId,
      UUID endpointId,
      String status,
      String origin,
      Instant nextAttemptAt,
      String lastError,
      Instant createdAt,
      Instant finishedAt,
      List<AttemptView> attempts) {}

  /** One page of a delivery log, newest first; {@code next_cursor} is null on the last page. */
  record DeliveryList(List<DeliveryView> deliveries, String nextCursor) {}

  /** What a replay wrote: one new delivery per event of the window the endpoint receives. */
  record Replayed(UUID endpointId, Instant since, Instant until, int deliveries) {}

  static EndpointView endpoint(WebhookEndpoint e, String secret) {
    return new EndpointView(
        e.id(),
        e.url(),
        e.events()
            .map(types -> types.stream().sorted().map(EventType::wireName).toList())
            .orElse(null),
        e.description().orElse(null),
        e.enabled(),
        e.disabledReason().orElse(null),
        e.failingSince().orElse(null),
        e.lastError().orElse(null),
        e.lastErrorAt().orElse(null),
        e.createdAt(),
        e.updatedAt(),
        secret);
  }

  static SecretView secrets(EndpointSecrets secrets, Instant now) {
    return new SecretView(
        secrets.current().text(),
        secrets.previousAt(now).map(s -> s.text()).orElse(null),
        secrets.previousAt(now).flatMap(s -> secrets.previousExpiresAt()).orElse(null));
  }

  static DeliveryView delivery(Delivery d) {
    return new DeliveryView(
        d.id(),
        d.eventId(),
        d.eventType().wireName(),
        d.jobId(),
        d.endpointId().orElse(null),
        d.status().wireName(),
        d.origin(),
        d.nextAttemptAt().orElse(null),
        d.lastError().orElse(null),
        d.createdAt(),
        d.finishedAt().orElse(null),
        d.attemptLog().stream()
            .map(
                a ->
                    new AttemptView(
                        a.attempt(),
                        a.attemptedAt(),
                        a.httpStatus().orElse(null),
                        a.error().orElse(null),
                        a.latencyMs(),
                        a.responseExcerpt().orElse(null)))
            .toList());
  }
}
