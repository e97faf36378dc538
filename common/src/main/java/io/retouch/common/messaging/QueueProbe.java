package io.retouch.common.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The job queue as the broker sees it (a passive declare): messages ready and consumers attached.
 * The fair dispatcher sizes what it hands RabbitMQ by the consumers, the sweeper compares the ready
 * count with what the database expects there, and the metrics report both.
 */
public final class QueueProbe {

  private final AmqpAdmin admin;
  private final String queue;
  private final Clock clock;
  private Reading last;

  /** One answer of the broker. */
  public record Reading(Instant at, long ready, int consumers) {}

  public QueueProbe(AmqpAdmin admin, Topology topology, Clock clock) {
    this.admin = admin;
    this.queue = topology.editQueue();
    this.clock = clock;
  }

  public String queue() {
    return queue;
  }

  /** Asks the broker now; empty when it cannot be asked or the queue does not exist yet. */
  public Optional<Reading> read() {
    Reading reading;
    try {
      Properties properties = admin.getQueueProperties(queue);
      if (properties == null) {
        return Optional.empty();
      }
      reading =
          new Reading(
              clock.instant(),
              number(properties, RabbitAdmin.QUEUE_MESSAGE_COUNT),
              (int) number(properties, RabbitAdmin.QUEUE_CONSUMER_COUNT));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    synchronized (this) {
      last = reading;
    }
    return Optional.of(reading);
  }

  /** The last answer when it is younger than {@code freshness}, otherwise a new one. */
  public Optional<Reading> read(Duration freshness) {
    synchronized (this) {
      if (last != null && Duration.between(last.at(), clock.instant()).compareTo(freshness) < 0) {
        return Optional.of(last);
      }
    }
    return read();
  }

  private static long number(Properties properties, Object key) {
    return properties.get(key) instanceof Number n ? n.longValue() : 0;
  }
}
