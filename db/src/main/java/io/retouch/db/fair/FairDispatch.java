package io.retouch.db.fair;

import io.retouch.common.messaging.JobPublisher;
import io.retouch.common.messaging.QueueProbe;
import java.time.Duration;
import java.time.Instant;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay's round that feeds RabbitMQ from the fair line. It keeps {@code readyPerConsumer} ready
 * messages per consumer of the job queue (at least one): enough that a slot freed by a finished job
 * finds the next at once, few enough that a newcomer dataset is never far behind. The consumer
 * count is the broker's, read at most every {@link #PROBE_FRESHNESS}.
 */
public final class FairDispatch implements RelayRound {

  static final Duration PROBE_FRESHNESS = Duration.ofSeconds(2);

  private final FairLine line;
  private final TransactionTemplate tx;
  private final JobPublisher publisher;
  private final QueueProbe probe;
  private final double readyPerConsumer;
  private volatile int lastConsumers;

  public FairDispatch(
      FairLine line,
      TransactionTemplate tx,
      JobPublisher publisher,
      QueueProbe probe,
      double readyPerConsumer) {
    this.line = line;
    this.tx = tx;
    this.publisher = publisher;
    this.probe = probe;
    this.readyPerConsumer = readyPerConsumer;
  }

  @Override
  public int run(Instant now) {
    int target = target();
    Integer published =
        tx.execute(
            status -> {
              line.lock();
              return line.dispatch(target, publisher, now);
            });
    return published == null ? 0 : published;
  }

  /** Ready messages to keep; the last known consumer count while the broker cannot be asked. */
  int target() {
    probe.read(PROBE_FRESHNESS).ifPresent(r -> lastConsumers = r.consumers());
    return Math.max(1, (int) Math.ceil(lastConsumers * readyPerConsumer));
  }
}
