package io.retouch.db.fair;

import static io.retouch.db.SqlValues.STATUSES;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Where a queued job stands: how many jobs will start before it, and when it may start.
 *
 * <p>The position counts the messages ready in RabbitMQ plus the jobs ahead of it in the fair line
 * by tag, through the line's index and up to {@link #POSITION_CAP}: a job far back costs at most
 * that many index entries, never a scan of the whole queue. It is what the line says now; a dataset
 * that submits later may still be placed ahead by the fair policy. The estimate divides the
 * position by the start rate of the last {@link #RATE_WINDOW}, read at most every {@link
 * #RATE_FRESHNESS}; with no recent starts there is none.
 */
public final class QueueStanding {

  /** Positions are exact up to here; a job further back reports this. */
  public static final int POSITION_CAP = 10_000;

  static final Duration RATE_WINDOW = Duration.ofMinutes(1);
  static final Duration RATE_FRESHNESS = Duration.ofSeconds(5);

  private final JdbcClient jdbc;
  private final Clock clock;
  private Rate rate;

  /**
   * @param position jobs that start before this one
   * @param estimatedStartAt when it may start at the recent start rate; empty without recent starts
   */
  public record Standing(long position, Optional<Instant> estimatedStartAt) {}

  private record Rate(Instant at, double perSecond) {}

  public QueueStanding(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Empty when the job is not queued, or waits for a retry (its due time says when). */
  public Optional<Standing> of(UUID jobId) {
    Instant now = clock.instant();
    Optional<Long> position =
        jdbc.sql(
                """
                SELECT CASE
                  WHEN j.enqueued_at IS NULL THEN
                    (SELECT count(*) FROM edit_jobs b
                      WHERE b.status = :queued AND b.enqueued_at <= :now)
                    + (SELECT count(*) FROM (SELECT 1 FROM edit_jobs f
                                              WHERE f.status = :queued AND f.enqueued_at IS NULL
                                                AND (f.fair_key, f.id) < (j.fair_key, j.id)
                                              LIMIT :cap) ahead)
                  ELSE
                    (SELECT count(*) FROM (SELECT 1 FROM edit_jobs b
                                            WHERE b.status = :queued
                                              AND b.enqueued_at < j.enqueued_at
                                            LIMIT :cap) ahead)
                  END
                  FROM edit_jobs j
                 WHERE j.id = :id AND j.status = :queued
                   AND (j.enqueued_at IS NULL OR j.enqueued_at <= :now)
                """)
            .params(STATUSES)
            .param("id", jobId)
            .param("now", now.atOffset(ZoneOffset.UTC))
            .param("cap", POSITION_CAP)
            .query(Long.class)
            .optional();
    return position.map(
        p -> {
          long capped = Math.min(p, POSITION_CAP);
          double perSecond = startsPerSecond(now);
          Optional<Instant> estimate =
              perSecond <= 0
                  ? Optional.empty()
                  : Optional.of(now.plusMillis((long) ((capped + 1) * 1000 / perSecond)));
          return new Standing(capped, estimate);
        });
  }

  private synchronized double startsPerSecond(Instant now) {
    if (rate == null || Duration.between(rate.at(), now).compareTo(RATE_FRESHNESS) >= 0) {
      long starts =
          jdbc.sql("SELECT count(*) FROM job_attempts WHERE started_at > :since")
              .param("since", now.minus(RATE_WINDOW).atOffset(ZoneOffset.UTC))
              .query(Long.class)
              .single();
      rate = new Rate(now, starts / (double) RATE_WINDOW.toSeconds());
    }
    return rate.perSecond();
  }
}
