package io.retouch.db.fair;

import static io.retouch.db.SqlValues.STATUSES;

import io.retouch.common.messaging.JobMessage;
import io.retouch.common.messaging.JobPublisher;
import io.retouch.common.messaging.JobPublisher.Outgoing;
import io.retouch.common.messaging.QueueProbe;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes again the messages of queued jobs that RabbitMQ no longer has (a purged or deleted
 * queue, lost broker data), so no job waits forever for a message that will not come.
 *
 * <p>Every {@code interval} it compares the jobs the database expects in the queue (published, not
 * started) with the messages ready there. Only when the broker holds fewer does it re-enqueue, and
 * only jobs whose message has been out longer than {@code lostAfter}, oldest first, at most {@code
 * limit} a round: a long but healthy backlog is never duplicated, and a large loss is refilled at a
 * bounded rate. A message that was not lost after all becomes a duplicate, which the workers'
 * guarded claim acks and ignores.
 */
public final class LostMessageSweeper implements RelayRound {

  private static final Logger log = LoggerFactory.getLogger(LostMessageSweeper.class);

  private final FairLine line;
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final JobPublisher publisher;
  private final QueueProbe probe;
  private final Duration interval;
  private final Duration lostAfter;
  private final int limit;
  private Instant nextSweep = Instant.MIN;

  public LostMessageSweeper(
      FairLine line,
      JdbcClient jdbc,
      TransactionTemplate tx,
      JobPublisher publisher,
      QueueProbe probe,
      Settings settings) {
    this.line = line;
    this.jdbc = jdbc;
    this.tx = tx;
    this.publisher = publisher;
    this.probe = probe;
    this.interval = settings.interval();
    this.lostAfter = settings.lostAfter();
    this.limit = settings.limit();
  }

  /** How often, after how long, and how many at most per round. */
  public record Settings(Duration interval, Duration lostAfter, int limit) {}

  @Override
  public int run(Instant now) {
    if (now.isBefore(nextSweep)) {
      return 0;
    }
    nextSweep = now.plus(interval);
    Integer republished = tx.execute(status -> sweep(now));
    return republished == null ? 0 : republished;
  }

  private int sweep(Instant now) {
    line.lock();
    Optional<QueueProbe.Reading> broker = probe.read();
    if (broker.isEmpty()) {
      return 0; // nothing to compare with; the relay reports the outage
    }
    long missing = line.inBroker(now) - broker.get().ready();
    if (missing <= 0) {
      return 0;
    }
    List<Outgoing> stale =
        jdbc.sql(
                """
                SELECT id, attempts, trace_parent FROM edit_jobs
                 WHERE status = :queued AND enqueued_at < :before
                 ORDER BY enqueued_at
                 LIMIT :limit
                   FOR UPDATE SKIP LOCKED
                """)
            .params(STATUSES)
            .param("before", now.minus(lostAfter).atOffset(ZoneOffset.UTC))
            .param("limit", Math.min(missing, limit))
            .query(
                (rs, i) ->
                    new Outgoing(
                        new JobMessage(rs.getObject("id", UUID.class), rs.getInt("attempts") + 1),
                        Optional.ofNullable(rs.getString("trace_parent"))))
            .list();
    if (stale.isEmpty()) {
      return 0;
    }
    line.hand(stale, publisher, now);
    log.warn(
        "re-enqueued {} queued jobs whose messages RabbitMQ no longer had ({} expected ready, {}"
            + " there)",
        stale.size(),
        missing + broker.get().ready(),
        broker.get().ready());
    return stale.size();
  }
}
