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
 * published a week ago (kept that long to trace deliveries) and idempotency keys past their 24-hour
 * window. Safe in any number of processes: the deletes are idempotent.
 */
public final class Housekeeping implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
  static final Duration OUTBOX_RETENTION = Duration.ofDays(7);

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Duration interval;
  private ScheduledExecutorService scheduler;

  public Housekeeping(JdbcClient jdbc, Clock clock, Duration interval) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.interval = interval;
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
    if (outbox + keys > 0) {
      log.info("housekeeping deleted {} outbox entries and {} idempotency keys", outbox, keys);
    }
    return outbox + keys;
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
