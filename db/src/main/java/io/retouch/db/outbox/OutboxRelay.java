package io.retouch.db.outbox;

import static io.retouch.db.SqlValues.STATUSES;

import io.retouch.common.messaging.JobMessage;
import io.retouch.common.messaging.JobPublisher;
import io.retouch.common.messaging.JobPublisher.Outgoing;
import io.retouch.db.fair.RelayRound;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves due outbox entries to RabbitMQ. In one transaction it locks a batch ({@code FOR UPDATE SKIP
 * LOCKED}, so any number of relays share the work), publishes it with publisher confirms, and marks
 * it published; if the broker is down the transaction rolls back and the entries wait for the next
 * round. A crash between confirm and commit publishes an entry twice, which the workers' guarded
 * claim makes harmless.
 *
 * <p>After the outbox it runs its {@link RelayRound}s: the fair line's dispatch and the sweeper.
 *
 * <p>It drains at once when {@link #wakeUp()} is called after a commit, and otherwise every {@code
 * pollInterval}, which is also how delayed retries (entries with a future {@code available_at})
 * come due.
 */
public final class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final JobPublisher publisher;
  private final Clock clock;
  private final Duration pollInterval;
  private final int batchSize;
  private final List<RelayRound> rounds;
  private final Semaphore wakeUps = new Semaphore(0);
  private volatile boolean running;
  private volatile boolean brokerDown;
  private Thread thread;

  public OutboxRelay(
      JdbcClient jdbc,
      TransactionTemplate tx,
      JobPublisher publisher,
      Clock clock,
      Duration pollInterval,
      int batchSize,
      List<RelayRound> rounds) {
    this.rounds = List.copyOf(rounds);
    this.jdbc = jdbc;
    this.tx = tx;
    this.publisher = publisher;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.batchSize = batchSize;
  }

  /** Asks for a drain now, e.g. right after a job was committed. */
  public void wakeUp() {
    if (wakeUps.availablePermits() == 0) {
      wakeUps.release();
    }
  }

  /**
   * Publishes due entries until none is left, then runs the other rounds once.
   *
   * @return how many messages were published
   */
  public int drain() {
    int total = 0;
    while (true) {
      Integer published = tx.execute(status -> publishBatch());
      if (published == null || published == 0) {
        break;
      }
      total += published;
    }
    Instant now = clock.instant();
    for (RelayRound round : rounds) {
      total += round.run(now);
    }
    return total;
  }

  private int publishBatch() {
    OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
    List<Entry> due =
        jdbc.sql(
                """
                SELECT o.id, o.job_id, o.attempt, j.trace_parent
                  FROM job_outbox o LEFT JOIN edit_jobs j ON j.id = o.job_id
                 WHERE o.published_at IS NULL AND o.available_at <= :now
                 ORDER BY o.available_at, o.id
                 LIMIT :limit
                   FOR UPDATE OF o SKIP LOCKED
                """)
            .param("now", now)
            .param("limit", batchSize)
            .query(
                (rs, i) ->
                    new Entry(
                        rs.getLong("id"),
                        rs.getObject("job_id", UUID.class),
                        rs.getInt("attempt"),
                        Optional.ofNullable(rs.getString("trace_parent"))))
            .list();
    if (due.isEmpty()) {
      return 0;
    }
    publisher.publishAll(
        due.stream()
            .map(e -> new Outgoing(new JobMessage(e.jobId(), e.attempt()), e.traceParent()))
            .toList());
    jdbc.sql("UPDATE job_outbox SET published_at = :now WHERE id IN (:ids)")
        .param("now", now)
        .param("ids", due.stream().map(Entry::id).toList())
        .update();
    // when its message went out, for the sweeper
    jdbc.sql("UPDATE edit_jobs SET enqueued_at = :now WHERE id IN (:ids) AND status = :queued")
        .params(STATUSES)
        .param("now", now)
        .param("ids", due.stream().map(Entry::jobId).distinct().toList())
        .update();
    return due.size();
  }

  @Override
  public void start() {
    running = true;
    thread = Thread.ofVirtual().name("outbox-relay").start(this::loop);
  }

  @Override
  public void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops after the components that write outbox entries on their way out. */
  @Override
  public int getPhase() {
    return DEFAULT_PHASE - 2000;
  }

  private void loop() {
    while (running) {
      try {
        drain();
        if (brokerDown) {
          brokerDown = false;
          log.info("outbox relay is publishing again");
        }
      } catch (RuntimeException e) {
        if (!brokerDown) {
          // log once per outage, not once per poll
          brokerDown = true;
          log.warn("outbox relay cannot publish, entries stay queued: {}", e.getMessage());
        }
      }
      try {
        wakeUps.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        wakeUps.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** A due entry; {@code traceParent} is its job's, so the message continues the job's trace. */
  private record Entry(long id, UUID jobId, int attempt, Optional<String> traceParent) {}
}
