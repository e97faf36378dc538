package io.retouch.db.webhook;

import static io.retouch.db.SqlValues.instant;
import static io.retouch.db.SqlValues.ts;

import io.retouch.common.event.EventType;
import io.retouch.common.webhook.RetrySchedule;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * Webhook deliveries: written with their event, claimed by dispatchers, finished with an attempt
 * row, and read back as the delivery log. A claim is a lease: the dispatcher that holds it is the
 * only one that sends the delivery until the lease expires, and only its {@link #finish} counts.
 */
public class DeliveryStore {

  private static final Logger log = LoggerFactory.getLogger(DeliveryStore.class);

  /** The part of an answer kept in the log. */
  public static final int EXCERPT_CHARS = 1024;

  private static final int MAX_ERROR_CHARS = 1000;
  private static final String PENDING = DeliveryStatus.PENDING.wireName();

  private final JdbcClient jdbc;
  private final Clock clock;
  private final RetrySchedule schedule;
  private final Duration disableAfter;
  private final AtomicLong claims = new AtomicLong();

  public DeliveryStore(
      JdbcClient jdbc, Clock clock, RetrySchedule schedule, Duration disableAfter) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.schedule = schedule;
    this.disableAfter = disableAfter;
  }

  /**
   * Writes the deliveries of an event, in the transaction that writes the event: one per enabled
   * endpoint of the dataset that receives the type, and one to the job's own webhook when its
   * filter holds the type.
   */
  public static void writeForEvent(
      JdbcClient jdbc, long eventId, UUID jobId, UUID datasetId, EventType type, Instant now) {
    jdbc.sql(
            """
            INSERT INTO webhook_deliveries (event_id, job_id, dataset_id, endpoint_id, url, status,
                                            origin, next_attempt_at, created_at)
            SELECT :event, :job, :dataset, e.id, NULL, :pending, 'event', :now, :now
              FROM webhook_endpoints e
             WHERE e.dataset_id = :dataset AND e.enabled
               AND (e.events IS NULL OR :type = ANY (e.events))
            UNION ALL
            SELECT :event, :job, :dataset, NULL, j.webhook_url, :pending, 'event', :now, :now
              FROM edit_jobs j
             WHERE j.id = :job AND j.webhook_url IS NOT NULL AND :type = ANY (j.webhook_events)
            """)
        .param("event", eventId)
        .param("job", jobId)
        .param("dataset", datasetId)
        .param("type", type.wireName())
        .param("pending", PENDING)
        .param("now", ts(now))
        .update();
  }

  /**
   * Claims up to {@code limit} due deliveries for {@code owner} until {@code lease} from now. A
   * job's events reach one target in order: a delivery waits while an earlier event of its job to
   * the same target is still pending. Deliveries asked for by hand (replay, redeliver) do not wait.
   */
  @Transactional
  public List<DueDelivery> claim(String owner, int limit, Duration lease) {
    Instant now = clock.instant();
    String token = owner + "#" + claims.incrementAndGet();
    List<Long> ids =
        jdbc.sql(
                """
                WITH due AS (
                  SELECT d.id FROM webhook_deliveries d
                   WHERE d.status = :pending AND d.next_attempt_at <= :now
                     AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= :now)
                     AND (d.origin <> 'event' OR NOT EXISTS (
                           SELECT 1 FROM webhook_deliveries e
                            WHERE e.job_id = d.job_id AND e.status = :pending
                              AND e.origin = 'event' AND e.event_id < d.event_id
                              AND e.endpoint_id IS NOT DISTINCT FROM d.endpoint_id
                              AND e.url IS NOT DISTINCT FROM d.url))
                   ORDER BY d.next_attempt_at, d.id
                   LIMIT :limit
                   FOR UPDATE SKIP LOCKED)
                UPDATE webhook_deliveries d SET lease_owner = :token, lease_expires_at = :until
                  FROM due WHERE d.id = due.id
                RETURNING d.id
                """)
            .param("pending", PENDING)
            .param("now", ts(now))
            .param("limit", limit)
            .param("token", token)
            .param("until", ts(now.plus(lease)))
            .query(Long.class)
            .list();
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            """
            SELECT d.id, d.event_id, d.job_id, d.dataset_id, d.endpoint_id, d.attempts,
                   coalesce(d.url, e.url) AS target_url,
                   d.endpoint_id IS NULL OR e.enabled AS target_enabled,
                   coalesce(e.secret, s.secret) AS secret,
                   CASE WHEN d.endpoint_id IS NULL THEN s.previous_secret
                        ELSE e.previous_secret END AS previous_secret,
                   CASE WHEN d.endpoint_id IS NULL THEN s.previous_secret_expires_at
                        ELSE e.previous_secret_expires_at END AS previous_secret_expires_at
              FROM webhook_deliveries d
              LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
              LEFT JOIN webhook_default_secrets s ON d.endpoint_id IS NULL
                                                 AND s.dataset_id = d.dataset_id
             WHERE d.id IN (:ids)
             ORDER BY d.event_id
            """)
        .param("ids", ids)
        .query(
            (rs, i) ->
                new DueDelivery(
                    rs.getLong("id"),
                    token,
                    rs.getLong("event_id"),
                    rs.getObject("job_id", UUID.class),
                    rs.getObject("dataset_id", UUID.class),
                    Optional.ofNullable(rs.getObject("endpoint_id", UUID.class)),
                    rs.getString("target_url"),
                    rs.getInt("attempts"),
                    rs.getBoolean("target_enabled"),
                    WebhookEndpointStore.secrets(rs, i)))
        .list();
  }

  /**
   * Records how an attempt ended and decides what follows: delivered, the next attempt of the
   * schedule, exhausted, or (410 Gone, days of failures) the endpoint turned off.
   *
   * @return false when the claim had lapsed and another dispatcher took the delivery over
   */
  @Transactional
  public boolean finish(DueDelivery delivery, AttemptResult result) {
    Instant now = clock.instant();
    if (result instanceof AttemptResult.Skipped skipped) {
      return settle(delivery, DeliveryStatus.SKIPPED, skipped.reason(), now, false);
    }
    Optional<Integer> attempt =
        jdbc.sql(
                "UPDATE webhook_deliveries SET attempts = attempts + 1"
                    + " WHERE id = :id AND lease_owner = :lease AND status = :pending"
                    + " RETURNING attempts")
            .param("id", delivery.id())
            .param("lease", delivery.lease())
            .param("pending", PENDING)
            .query(Integer.class)
            .optional();
    if (attempt.isEmpty()) {
      log.warn(
          "webhook delivery {} was taken over before its attempt ended; the attempt is not logged",
          delivery.id());
      return false;
    }
    logAttempt(delivery.id(), attempt.get(), now, result);
    switch (result) {
      case AttemptResult.Delivered delivered -> {
        settle(delivery, DeliveryStatus.DELIVERED, null, now, true);
        delivery
            .endpointId()
            .ifPresent(
                endpoint ->
                    jdbc.sql(
                            "UPDATE webhook_endpoints SET failing_since = NULL"
                                + " WHERE id = :id AND failing_since IS NOT NULL")
                        .param("id", endpoint)
                        .update());
      }
      case AttemptResult.Failed failed -> {
        String error = failed.error();
        Optional<Instant> next = schedule.next(attempt.get(), now, failed.retryAfter());
        if (next.isPresent()) {
          jdbc.sql(
                  "UPDATE webhook_deliveries SET next_attempt_at = :next, lease_owner = NULL,"
                      + " lease_expires_at = NULL, last_error = :error WHERE id = :id")
              .param("next", ts(next.get()))
              .param("error", clip(error, MAX_ERROR_CHARS))
              .param("id", delivery.id())
              .update();
        } else {
          settle(
              delivery,
              DeliveryStatus.EXHAUSTED,
              error + " (after " + attempt.get() + " attempts)",
              now,
              true);
        }
        endpointFailed(delivery, error, now);
      }
      case AttemptResult.Gone gone -> {
        settle(delivery, DeliveryStatus.GONE, "the receiver answered 410 Gone", now, true);
        String reason = "the receiver answered 410 Gone at " + now;
        delivery
            .endpointId()
            .ifPresentOrElse(
                endpoint -> disable(endpoint, reason, now),
                () -> skipPendingOfJob(delivery, reason, now));
      }
      case AttemptResult.Refused refused -> {
        settle(delivery, DeliveryStatus.REFUSED, refused.reason(), now, true);
        endpointFailed(delivery, refused.reason(), now);
      }
      case AttemptResult.Skipped skipped -> throw new IllegalStateException("handled above");
    }
    return true;
  }

  private boolean settle(
      DueDelivery delivery, DeliveryStatus status, String error, Instant now, boolean attempted) {
    return jdbc.sql(
                "UPDATE webhook_deliveries SET status = :status, last_error = :error,"
                    + " finished_at = :now, lease_owner = NULL, lease_expires_at = NULL"
                    + " WHERE id = :id AND lease_owner = :lease AND status = :pending")
            .param("status", status.wireName())
            .param("error", clip(error, MAX_ERROR_CHARS))
            .param("now", ts(now))
            .param("id", delivery.id())
            .param("lease", delivery.lease())
            .param("pending", PENDING)
            .update()
        == 1;
  }

  private void logAttempt(long deliveryId, int attempt, Instant now, AttemptResult result) {
    Map<String, Object> values = new HashMap<>();
    values.put("delivery", deliveryId);
    values.put("attempt", attempt);
    values.put("at", ts(now));
    values.put("status", null);
    values.put("error", null);
    values.put("latency", 0L);
    values.put("excerpt", null);
    switch (result) {
      case AttemptResult.Delivered d -> {
        values.put("status", d.httpStatus());
        values.put("latency", d.latency().toMillis());
        values.put("excerpt", clip(d.excerpt(), EXCERPT_CHARS));
      }
      case AttemptResult.Failed f -> {
        values.put("status", f.httpStatus().orElse(null));
        values.put("error", clip(f.error(), MAX_ERROR_CHARS));
        values.put("latency", f.latency().toMillis());
        values.put("excerpt", clip(f.excerpt(), EXCERPT_CHARS));
      }
      case AttemptResult.Gone g -> {
        values.put("status", 410);
        values.put("error", "410 Gone: the endpoint is turned off");
        values.put("latency", g.latency().toMillis());
        values.put("excerpt", clip(g.excerpt(), EXCERPT_CHARS));
      }
      case AttemptResult.Refused r -> values.put("error", clip(r.reason(), MAX_ERROR_CHARS));
      case AttemptResult.Skipped s -> throw new IllegalStateException("a skip is no attempt");
    }
    jdbc.sql(
            """
            INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, http_status, error,
                                          latency_ms, response_excerpt)
            VALUES (:delivery, :attempt, :at, :status, :error, :latency, :excerpt)
            """)
        .params(values)
        .update();
  }

  /** Notes the failure on the endpoint, and turns it off when it has failed for too long. */
  private void endpointFailed(DueDelivery delivery, String error, Instant now) {
    if (delivery.endpointId().isEmpty()) {
      return;
    }
    UUID endpoint = delivery.endpointId().get();
    Instant failingSince =
        jdbc.sql(
                "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, :now),"
                    + " last_error = :error, last_error_at = :now WHERE id = :id"
                    + " RETURNING failing_since")
            .param("now", ts(now))
            .param("error", clip(error, MAX_ERROR_CHARS))
            .param("id", endpoint)
            .query((rs, i) -> instant(rs, "failing_since").orElse(now))
            .optional()
            .orElse(now);
    if (!failingSince.isAfter(now.minus(disableAfter))) {
      disable(
          endpoint,
          "every delivery failed since " + failingSince + " (" + disableAfter.toDays() + " days)",
          now);
    }
  }

  private void disable(UUID endpoint, String reason, Instant now) {
    jdbc.sql(
            "UPDATE webhook_endpoints SET enabled = false, disabled_reason = :reason,"
                + " updated_at = :now WHERE id = :id AND enabled")
        .param("reason", reason)
        .param("now", ts(now))
        .param("id", endpoint)
        .update();
    skipPending(jdbc, endpoint, "the endpoint was turned off: " + reason, now);
    log.warn("webhook endpoint {} turned off: {}", endpoint, reason);
  }

  /** Skips what an endpoint still had to send, in the caller's transaction. */
  static void skipPending(JdbcClient jdbc, UUID endpoint, String reason, Instant now) {
    jdbc.sql(
            "UPDATE webhook_deliveries SET status = :skipped, last_error = :reason,"
                + " finished_at = :now, lease_owner = NULL, lease_expires_at = NULL"
                + " WHERE endpoint_id = :endpoint AND status = :pending")
        .param("skipped", DeliveryStatus.SKIPPED.wireName())
        .param("reason", clip(reason, MAX_ERROR_CHARS))
        .param("now", ts(now))
        .param("endpoint", endpoint)
        .param("pending", PENDING)
        .update();
  }

  private void skipPendingOfJob(DueDelivery delivery, String reason, Instant now) {
    jdbc.sql(
            "UPDATE webhook_deliveries SET status = :skipped, last_error = :reason,"
                + " finished_at = :now WHERE job_id = :job AND endpoint_id IS NULL"
                + " AND url = :url AND status = :pending AND id <> :id")
        .param("skipped", DeliveryStatus.SKIPPED.wireName())
        .param("reason", reason)
        .param("now", ts(now))
        .param("job", delivery.jobId())
        .param("url", delivery.url())
        .param("pending", PENDING)
        .param("id", delivery.id())
        .update();
  }

  /** A page of an endpoint's delivery log, newest first. */
  public record Page(List<Delivery> deliveries, Optional<Long> nextBefore) {}

  /**
   * @param before the id the previous page ended at (keyset), or empty for the newest
   */
  @Transactional(readOnly = true)
  public Page page(
      UUID datasetId,
      UUID endpointId,
      Optional<DeliveryStatus> status,
      Optional<Long> before,
      int limit) {
    StringBuilder sql =
        new StringBuilder(
            DELIVERY_SELECT + " WHERE d.dataset_id = :dataset AND d.endpoint_id = :endpoint");
    Map<String, Object> params = new HashMap<>();
    params.put("dataset", datasetId);
    params.put("endpoint", endpointId);
    params.put("limit", limit + 1);
    status.ifPresent(
        s -> {
          sql.append(" AND d.status = :status");
          params.put("status", s.wireName());
        });
    before.ifPresent(
        id -> {
          sql.append(" AND d.id < :before");
          params.put("before", id);
        });
    sql.append(" ORDER BY d.id DESC LIMIT :limit");
    List<Delivery> rows = withAttempts(jdbc.sql(sql.toString()).params(params).query(ROW).list());
    if (rows.size() > limit) {
      List<Delivery> shown = rows.subList(0, limit);
      return new Page(List.copyOf(shown), Optional.of(shown.getLast().id()));
    }
    return new Page(rows, Optional.empty());
  }

  /** A delivery of the dataset (an endpoint's or a job's own), with its attempts. */
  @Transactional(readOnly = true)
  public Optional<Delivery> find(UUID datasetId, long deliveryId) {
    List<Delivery> rows =
        jdbc.sql(DELIVERY_SELECT + " WHERE d.dataset_id = :dataset AND d.id = :id")
            .param("dataset", datasetId)
            .param("id", deliveryId)
            .query(ROW)
            .list();
    return withAttempts(rows).stream().findFirst();
  }

  /** The deliveries to a job's own webhook, oldest first. */
  @Transactional(readOnly = true)
  public List<Delivery> ofJob(UUID datasetId, UUID jobId) {
    return withAttempts(
        jdbc.sql(
                DELIVERY_SELECT
                    + " WHERE d.dataset_id = :dataset AND d.job_id = :job"
                    + " AND d.endpoint_id IS NULL ORDER BY d.id")
            .param("dataset", datasetId)
            .param("job", jobId)
            .query(ROW)
            .list());
  }

  /**
   * Sends a delivery's event again now, to the same target, as a new delivery (same event id, so
   * receivers see the same {@code webhook-id}).
   */
  @Transactional
  public Optional<Delivery> redeliver(UUID datasetId, long deliveryId) {
    Instant now = clock.instant();
    Optional<Long> created =
        jdbc.sql(
                """
                INSERT INTO webhook_deliveries (event_id, job_id, dataset_id, endpoint_id, url,
                                                status, origin, next_attempt_at, created_at)
                SELECT event_id, job_id, dataset_id, endpoint_id, url, :pending, 'redeliver',
                       :now, :now
                  FROM webhook_deliveries WHERE id = :id AND dataset_id = :dataset
                RETURNING id
                """)
            .param("pending", PENDING)
            .param("now", ts(now))
            .param("id", deliveryId)
            .param("dataset", datasetId)
            .query(Long.class)
            .optional();
    return created.flatMap(id -> find(datasetId, id));
  }

  /**
   * Sends every event of the dataset created in {@code [since, until)} that the endpoint receives
   * to it again, as new deliveries.
   *
   * @return how many deliveries were written
   */
  @Transactional
  public int replay(UUID datasetId, WebhookEndpoint endpoint, Instant since, Instant until) {
    Instant now = clock.instant();
    StringBuilder sql =
        new StringBuilder(
            """
            INSERT INTO webhook_deliveries (event_id, job_id, dataset_id, endpoint_id, url, status,
                                            origin, next_attempt_at, created_at)
            SELECT v.id, v.job_id, v.dataset_id, :endpoint, NULL, :pending, 'replay', :now, :now
              FROM job_events v
             WHERE v.dataset_id = :dataset AND v.created_at >= :since AND v.created_at < :until
            """);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("endpoint", endpoint.id());
    params.put("pending", PENDING);
    params.put("now", ts(now));
    params.put("dataset", datasetId);
    params.put("since", ts(since));
    params.put("until", ts(until));
    endpoint
        .events()
        .ifPresent(
            types -> {
              sql.append(" AND v.type IN (:types)");
              params.put("types", types.stream().map(EventType::wireName).toList());
            });
    sql.append(" ORDER BY v.id");
    return jdbc.sql(sql.toString()).params(params).update();
  }

  private static final String DELIVERY_SELECT =
      "SELECT d.id, d.event_id, v.type, d.job_id, d.endpoint_id, d.status, d.origin, d.attempts,"
          + " d.next_attempt_at, d.last_error, d.created_at, d.finished_at"
          + " FROM webhook_deliveries d JOIN job_events v ON v.id = d.event_id";

  private static final RowMapper<Delivery> ROW =
      (rs, i) -> {
        DeliveryStatus status = DeliveryStatus.fromWireName(rs.getString("status")).orElseThrow();
        return new Delivery(
            rs.getLong("id"),
            rs.getLong("event_id"),
            EventType.fromWireName(rs.getString("type")).orElseThrow(),
            rs.getObject("job_id", UUID.class),
            Optional.ofNullable(rs.getObject("endpoint_id", UUID.class)),
            status,
            rs.getString("origin"),
            rs.getInt("attempts"),
            status == DeliveryStatus.PENDING ? instant(rs, "next_attempt_at") : Optional.empty(),
            Optional.ofNullable(rs.getString("last_error")),
            instant(rs, "created_at").orElseThrow(),
            instant(rs, "finished_at"),
            List.of());
      };

  private List<Delivery> withAttempts(List<Delivery> deliveries) {
    if (deliveries.isEmpty()) {
      return deliveries;
    }
    Map<Long, List<Delivery.Attempt>> attempts = new HashMap<>();
    jdbc.sql(
            "SELECT delivery_id, attempt, attempted_at, http_status, error, latency_ms,"
                + " response_excerpt FROM webhook_attempts WHERE delivery_id IN (:ids)"
                + " ORDER BY delivery_id, attempt")
        .param("ids", deliveries.stream().map(Delivery::id).toList())
        .query(
            rs -> {
              attempts
                  .computeIfAbsent(rs.getLong("delivery_id"), id -> new ArrayList<>())
                  .add(attempt(rs));
            });
    return deliveries.stream()
        .map(
            d ->
                new Delivery(
                    d.id(),
                    d.eventId(),
                    d.eventType(),
                    d.jobId(),
                    d.endpointId(),
                    d.status(),
                    d.origin(),
                    d.attempts(),
                    d.nextAttemptAt(),
                    d.lastError(),
                    d.createdAt(),
                    d.finishedAt(),
                    List.copyOf(attempts.getOrDefault(d.id(), List.of()))))
        .toList();
  }

  private static Delivery.Attempt attempt(ResultSet rs) throws SQLException {
    int status = rs.getInt("http_status");
    Optional<Integer> httpStatus = rs.wasNull() ? Optional.empty() : Optional.of(status);
    return new Delivery.Attempt(
        rs.getInt("attempt"),
        instant(rs, "attempted_at").orElseThrow(),
        httpStatus,
        Optional.ofNullable(rs.getString("error")),
        rs.getLong("latency_ms"),
        Optional.ofNullable(rs.getString("response_excerpt")));
  }

  private static String clip(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
