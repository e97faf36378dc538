package io.retouch.db.housekeeping;

import io.retouch.db.job.IdempotencyKey;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes rows nothing reads any more, so the bookkeeping tables stay small: outbox entries
 * published a week ago (kept that long to trace deliveries), idempotency keys past their 24-hour
 * window, and job events and webhook delivery logs older than their retention ({@code
 * retouch.webhooks.retention}, 30 days; a replay reaches back that far). Safe in any number of
 * processes: the deletes are idempotent, and done in batches so none holds locks for long.
 */
public final class Housekeeping implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
  static final Duration OUTBOX_RETENTION = Duration.ofDays(7);

  private final JdbcClient jdbc;
  private final Clock clock;
  private static final int BATCH = 10_000;

  private final Duration interval;
  private final Duration eventRetention;
  private ScheduledExecutorService scheduler;

  /**
   * @param eventRetention how long job events and webhook deliveries are kept
   */
  public Housekeeping(JdbcClient jdbc, Clock clock, Duration interval, Duration eventRetention) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.interval = interval;
    this.eventRetention = eventRetention;
  }

  /** One round; returns how many rows were deleted. */
  public int run() {
    var now = clock.instant();
    int outbox =
        jdbc.sql("DELETE FROM job_outbox WHERE published_at < :before")
            .param("before", now.minus(OUTBOX_RETENTION).atOffset(ZoneOffset.UTC))
            .update();
    int keys =
        jdbc.sql("DELETE FROM idempotency_keys WHERE created_at < :before")
            .param("before", now.minus(IdempotencyKey.WINDOW).atOffset(ZoneOffset.UTC))
            .update();
    var eventsBefore = now.minus(eventRetention).atOffset(ZoneOffset.UTC);
    int deliveries =
        inBatches(
            "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries"
                + " WHERE created_at < :before LIMIT :batch)",
            eventsBefore);
    // their deliveries go with them (ON DELETE CASCADE), replays included
    int events =
        inBatches(
            "DELETE FROM job_events WHERE id IN (SELECT id FROM job_events"
                + " WHERE created_at < :before LIMIT :batch)",
            eventsBefore);
    int total = outbox + keys + deliveries + events;
    if (total > 0) {
      log.info(
          "housekeeping deleted {} outbox entries, {} idempotency keys, {} webhook deliveries and"
              + " {} job events",
          outbox,
          keys,
          deliveries,
          events);
    }
    return total;
  }

  private int inBatches(String delete, Object before) {
    int deleted = 0;
    int batch;
    do {
      batch = jdbc.sql(delete).param("before", before).param("batch", BATCH).update();
      deleted += batch;
    } while (batch == BATCH);
    return deleted;
  }

  @Override
  public void start() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("housekeeping").factory());
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            run();
          } catch (RuntimeException e) {
            log.warn("housekeeping skipped a round: {}", e.getMessage());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    scheduler.shutdownNow();
  }

  @Override
  public boolean isRunning() {
    return scheduler != null && !scheduler.isShutdown();
  }
}
