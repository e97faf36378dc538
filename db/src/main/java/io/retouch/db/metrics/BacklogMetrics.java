package io.retouch.db.metrics;

import static io.retouch.db.SqlValues.instant;
import static io.retouch.db.SqlValues.ts;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What waits in the database, as gauges read at most every {@link #FRESHNESS} (one query for all,
 * on scrape; every process reports the same values, so take {@code max}, not {@code sum}):
 *
 * <ul>
 *   <li>{@code retouch.outbox.backlog} — outbox entries due and not yet published to RabbitMQ
 *   <li>{@code retouch.outbox.oldest.age} — how long the oldest of them has been due (seconds)
 *   <li>{@code retouch.events.unpublished} — events not yet published to the events exchange
 *   <li>{@code retouch.webhooks.backlog} — webhook deliveries due and not yet sent
 * </ul>
 *
 * Each query runs on a partial index of its pending rows. When the database cannot be read the
 * gauges show NaN, not the last value.
 */
public final class BacklogMetrics {

  static final Duration FRESHNESS = Duration.ofSeconds(10);

  private final JdbcClient jdbc;
  private final Clock clock;
  private Snapshot snapshot;

  /** One reading of the backlogs. */
  record Snapshot(
      Instant at, double outbox, double oldestAgeSeconds, double events, double webhooks) {
    static Snapshot unknown(Instant at) {
      return new Snapshot(at, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
  }

  public BacklogMetrics(JdbcClient jdbc, Clock clock, MeterRegistry registry) {
    this.jdbc = jdbc;
    this.clock = clock;
    gauge(
        registry, "retouch.outbox.backlog", "Outbox entries due and unpublished", Snapshot::outbox);
    gauge(
        registry,
        "retouch.outbox.oldest.age",
        "Seconds the oldest due outbox entry has waited",
        Snapshot::oldestAgeSeconds);
    gauge(
        registry,
        "retouch.events.unpublished",
        "Job events not yet on the events exchange",
        Snapshot::events);
    gauge(
        registry,
        "retouch.webhooks.backlog",
        "Webhook deliveries due and unsent",
        Snapshot::webhooks);
  }

  private void gauge(
      MeterRegistry registry, String name, String description, ToDoubleFunction<Snapshot> value) {
    Gauge.builder(name, this, metrics -> value.applyAsDouble(metrics.current()))
        .description(description)
        .register(registry);
  }

  synchronized Snapshot current() {
    Instant now = clock.instant();
    if (snapshot == null || Duration.between(snapshot.at(), now).compareTo(FRESHNESS) >= 0) {
      snapshot = read(now);
    }
    return snapshot;
  }

  private Snapshot read(Instant now) {
    try {
      return jdbc.sql(
              """
              SELECT (SELECT count(*) FROM job_outbox
                       WHERE published_at IS NULL AND available_at <= :now) AS outbox,
                     (SELECT min(available_at) FROM job_outbox
                       WHERE published_at IS NULL AND available_at <= :now) AS oldest,
                     (SELECT count(*) FROM job_events WHERE published_at IS NULL) AS events,
                     (SELECT count(*) FROM webhook_deliveries
                       WHERE status = 'pending' AND next_attempt_at <= :now) AS webhooks
              """)
          .param("now", ts(now))
          .query(
              (rs, i) -> {
                Optional<Instant> oldest = instant(rs, "oldest");
                return new Snapshot(
                    now,
                    rs.getLong("outbox"),
                    oldest.map(o -> Duration.between(o, now).toMillis() / 1000.0).orElse(0.0),
                    rs.getLong("events"),
                    rs.getLong("webhooks"));
              })
          .single();
    } catch (RuntimeException e) {
      return Snapshot.unknown(now);
    }
  }
}
