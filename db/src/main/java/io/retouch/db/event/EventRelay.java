package io.retouch.db.event;

import io.retouch.common.messaging.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes job events to the {@code retouch.events} exchange, the outbox way: in one transaction
 * it takes unpublished events, publishes them with publisher confirms and marks them published; if
 * the broker is down nothing is marked and they go out later. One relay publishes at a time (a
 * transaction-level advisory lock; the others skip their turn) and only settled events, in id
 * order, so the exchange carries each job's events in order. A crash between confirm and commit
 * publishes an event twice under the same message id.
 */
public final class EventRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EventRelay.class);

  /** The advisory lock key of the event relay ("events" in ASCII). */
  private static final long LOCK = 0x6576656e7473L;

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final EventPublisher publisher;
  private final EventRenderer renderer;
  private final Clock clock;
  private final Duration pollInterval;
  private final int batchSize;
  private volatile boolean running;
  private volatile boolean brokerDown;
  private Thread thread;

  public EventRelay(
      JdbcClient jdbc,
      TransactionTemplate tx,
      EventPublisher publisher,
      EventRenderer renderer,
      Clock clock,
      Duration pollInterval,
      int batchSize) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.publisher = publisher;
    this.renderer = renderer;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.batchSize = batchSize;
  }

  /**
   * Publishes what is due until nothing is left (or another relay holds the turn).
   *
   * @return how many events were published
   */
  public int drain() {
    int total = 0;
    while (true) {
      Integer published = tx.execute(status -> publishBatch());
      if (published == null || published == 0) {
        return total;
      }
      total += published;
    }
  }

  private int publishBatch() {
    boolean turn =
        jdbc.sql("SELECT pg_try_advisory_xact_lock(:lock)")
            .param("lock", LOCK)
            .query(Boolean.class)
            .single();
    if (!turn) {
      return 0;
    }
    List<JobEvent> due =
        jdbc.sql(
                "SELECT id, job_id, dataset_id, type, attempt, error_code, error_message,"
                    + " next_attempt_at, created_at FROM job_events WHERE published_at IS NULL"
                    + " AND txid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY id LIMIT :limit")
            .param("limit", batchSize)
            .query(JobEventStore::row)
            .list();
    if (due.isEmpty()) {
      return 0;
    }
    List<EventPublisher.Message> messages = new ArrayList<>();
    for (JobEvent event : due) {
      renderer
          .render(event)
          .ifPresent(
              view ->
                  messages.add(
                      new EventPublisher.Message(
                          event.id(), event.type().wireName(), EventJson.bytes(view))));
    }
    publisher.publish(messages);
    jdbc.sql("UPDATE job_events SET published_at = :now WHERE id IN (:ids)")
        .param("now", clock.instant().atOffset(ZoneOffset.UTC))
        .param("ids", due.stream().map(JobEvent::id).toList())
        .update();
    return due.size();
  }

  @Override
  public void start() {
    running = true;
    thread = Thread.ofVirtual().name("event-relay").start(this::loop);
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

  private void loop() {
    while (running) {
      try {
        drain();
        if (brokerDown) {
          brokerDown = false;
          log.info("event relay is publishing again");
        }
      } catch (RuntimeException e) {
        if (!brokerDown) {
          brokerDown = true;
          log.warn("event relay cannot publish, events stay unpublished: {}", e.getMessage());
        }
      }
      try {
        TimeUnit.MILLISECONDS.sleep(pollInterval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
