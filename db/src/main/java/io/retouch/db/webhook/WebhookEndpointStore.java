package io.retouch.db.webhook;

import static io.retouch.db.SqlValues.eventTypes;
import static io.retouch.db.SqlValues.instant;
import static io.retouch.db.SqlValues.ts;

import io.retouch.common.id.UuidV7;
import io.retouch.common.webhook.SigningSecret;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * Webhook endpoints of datasets and their signing secrets, and the default secret that signs a
 * dataset's per-job webhooks. Every read and change names the dataset: another dataset's endpoint
 * is not found.
 */
public class WebhookEndpointStore {

  /** Endpoints one dataset may register: each event is sent to every one of them. */
  public static final int MAX_ENDPOINTS_PER_DATASET = 50;

  private static final String COLUMNS =
      "id, dataset_id, url, events, description, enabled, disabled_reason, failing_since,"
          + " last_error, last_error_at, created_at, updated_at";
  private static final String SECRET_COLUMNS =
      "secret, previous_secret, previous_secret_expires_at";

  private final JdbcClient jdbc;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final UuidV7 ids;

  public WebhookEndpointStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.ids = new UuidV7(clock);
  }

  /** A new endpoint and its first secret. */
  public record Created(WebhookEndpoint endpoint, EndpointSecrets secrets) {}

  /** The dataset already has {@link #MAX_ENDPOINTS_PER_DATASET} endpoints. */
  public static final class TooManyEndpoints extends RuntimeException {
    TooManyEndpoints() {
      super(
          "a dataset has at most " + MAX_ENDPOINTS_PER_DATASET + " webhook endpoints; delete one");
    }
  }

  @Transactional
  public Created create(UUID datasetId, WebhookEndpoint.Settings settings) {
    // one creation at a time per dataset, so the count below cannot be raced past
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
        .param("key", "webhook_endpoints:" + datasetId)
        .query(rs -> {});
    int count =
        jdbc.sql("SELECT count(*) FROM webhook_endpoints WHERE dataset_id = :dataset")
            .param("dataset", datasetId)
            .query(Integer.class)
            .single();
    if (count >= MAX_ENDPOINTS_PER_DATASET) {
      throw new TooManyEndpoints();
    }
    SigningSecret secret = SigningSecret.generate(random);
    Instant now = now();
    WebhookEndpoint endpoint =
        jdbc.sql(
                "INSERT INTO webhook_endpoints (id, dataset_id, url, events, description, enabled,"
                    + " secret, created_at, updated_at) VALUES (:id, :dataset, :url,"
                    + " string_to_array(:events, ','), :description, :enabled, :secret, :now, :now)"
                    + " RETURNING "
                    + COLUMNS)
            .param("id", ids.next())
            .param("dataset", datasetId)
            .param("url", settings.url())
            .param("events", eventTypes(settings.events().orElse(null)))
            .param("description", settings.description().orElse(null))
            .param("enabled", settings.enabled())
            .param("secret", secret.text())
            .param("now", ts(now))
            .query(WebhookEndpointStore::endpoint)
            .single();
    return new Created(endpoint, new EndpointSecrets(secret, Optional.empty(), Optional.empty()));
  }

  public List<WebhookEndpoint> list(UUID datasetId) {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM webhook_endpoints WHERE dataset_id = :dataset ORDER BY id")
        .param("dataset", datasetId)
        .query(WebhookEndpointStore::endpoint)
        .list();
  }

  public Optional<WebhookEndpoint> find(UUID datasetId, UUID id) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM webhook_endpoints WHERE id = :id AND dataset_id = :dataset")
        .param("id", id)
        .param("dataset", datasetId)
        .query(WebhookEndpointStore::endpoint)
        .optional();
  }

  /**
   * Applies new settings. Turning an endpoint on clears what Retouch recorded when it turned it
   * off; turning it off skips its pending deliveries (a replay sends them again).
   */
  @Transactional
  public Optional<WebhookEndpoint> update(
      UUID datasetId, UUID id, WebhookEndpoint.Settings settings) {
    Instant now = now();
    Optional<WebhookEndpoint> updated =
        jdbc.sql(
                "UPDATE webhook_endpoints SET url = :url, events = string_to_array(:events, ','),"
                    + " description = :description, enabled = :enabled,"
                    + " disabled_reason = CASE WHEN :enabled THEN NULL ELSE disabled_reason END,"
                    + " failing_since = CASE WHEN :enabled AND NOT enabled THEN NULL"
                    + " ELSE failing_since END, updated_at = :now"
                    + " WHERE id = :id AND dataset_id = :dataset RETURNING "
                    + COLUMNS)
            .param("url", settings.url())
            .param("events", eventTypes(settings.events().orElse(null)))
            .param("description", settings.description().orElse(null))
            .param("enabled", settings.enabled())
            .param("now", ts(now))
            .param("id", id)
            .param("dataset", datasetId)
            .query(WebhookEndpointStore::endpoint)
            .optional();
    if (updated.isPresent() && !settings.enabled()) {
      DeliveryStore.skipPending(jdbc, id, "the endpoint was turned off", now);
    }
    return updated;
  }

  /** Deletes the endpoint with its delivery log. */
  public boolean delete(UUID datasetId, UUID id) {
    return jdbc.sql("DELETE FROM webhook_endpoints WHERE id = :id AND dataset_id = :dataset")
            .param("id", id)
            .param("dataset", datasetId)
            .update()
        == 1;
  }

  public Optional<EndpointSecrets> secrets(UUID datasetId, UUID id) {
    return jdbc.sql(
            "SELECT "
                + SECRET_COLUMNS
                + " FROM webhook_endpoints WHERE id = :id AND dataset_id = :dataset")
        .param("id", id)
        .param("dataset", datasetId)
        .query(WebhookEndpointStore::secrets)
        .optional();
  }

  /** A new secret; the one it replaces signs alongside for {@link EndpointSecrets#OVERLAP}. */
  public Optional<EndpointSecrets> rotate(UUID datasetId, UUID id) {
    Instant now = now();
    return jdbc.sql(
            "UPDATE webhook_endpoints SET previous_secret = secret,"
                + " previous_secret_expires_at = :expires, secret = :secret, updated_at = :now"
                + " WHERE id = :id AND dataset_id = :dataset RETURNING "
                + SECRET_COLUMNS)
        .param("expires", ts(now.plus(EndpointSecrets.OVERLAP)))
        .param("secret", SigningSecret.generate(random).text())
        .param("now", ts(now))
        .param("id", id)
        .param("dataset", datasetId)
        .query(WebhookEndpointStore::secrets)
        .optional();
  }

  /** The secret of the dataset's per-job webhooks, made on first use. */
  @Transactional
  public EndpointSecrets defaultSecrets(UUID datasetId) {
    ensureDefaultSecret(jdbc, random, datasetId, now());
    return jdbc.sql(
            "SELECT "
                + SECRET_COLUMNS
                + " FROM webhook_default_secrets WHERE dataset_id = :dataset")
        .param("dataset", datasetId)
        .query(WebhookEndpointStore::secrets)
        .single();
  }

  @Transactional
  public EndpointSecrets rotateDefault(UUID datasetId) {
    Instant now = now();
    ensureDefaultSecret(jdbc, random, datasetId, now);
    return jdbc.sql(
            "UPDATE webhook_default_secrets SET previous_secret = secret,"
                + " previous_secret_expires_at = :expires, secret = :secret"
                + " WHERE dataset_id = :dataset RETURNING "
                + SECRET_COLUMNS)
        .param("expires", ts(now.plus(EndpointSecrets.OVERLAP)))
        .param("secret", SigningSecret.generate(random).text())
        .param("dataset", datasetId)
        .query(WebhookEndpointStore::secrets)
        .single();
  }

  /** Makes the dataset's default secret unless it exists; part of the caller's transaction. */
  public static void ensureDefaultSecret(
      JdbcClient jdbc, SecureRandom random, UUID datasetId, Instant now) {
    jdbc.sql(
            "INSERT INTO webhook_default_secrets (dataset_id, secret, created_at)"
                + " VALUES (:dataset, :secret, :now) ON CONFLICT (dataset_id) DO NOTHING")
        .param("dataset", datasetId)
        .param("secret", SigningSecret.generate(random).text())
        .param("now", ts(now))
        .update();
  }

  private Instant now() {
    return clock.instant();
  }

  private static WebhookEndpoint endpoint(ResultSet rs, int row) throws SQLException {
    return new WebhookEndpoint(
        rs.getObject("id", UUID.class),
        rs.getObject("dataset_id", UUID.class),
        rs.getString("url"),
        eventTypes(rs, "events"),
        Optional.ofNullable(rs.getString("description")),
        rs.getBoolean("enabled"),
        Optional.ofNullable(rs.getString("disabled_reason")),
        instant(rs, "failing_since"),
        Optional.ofNullable(rs.getString("last_error")),
        instant(rs, "last_error_at"),
        instant(rs, "created_at").orElseThrow(),
        instant(rs, "updated_at").orElseThrow());
  }

  static EndpointSecrets secrets(ResultSet rs, int row) throws SQLException {
    return new EndpointSecrets(
        SigningSecret.parse(rs.getString("secret")),
        Optional.ofNullable(rs.getString("previous_secret")).map(SigningSecret::parse),
        instant(rs, "previous_secret_expires_at"));
  }
}
