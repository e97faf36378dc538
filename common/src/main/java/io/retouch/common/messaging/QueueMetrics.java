package io.retouch.common.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The job queue as the broker sees it, as gauges read at most every {@link #FRESHNESS} (a passive
 * declare, on scrape; every process reports the same values, so take {@code max}): {@code
 * retouch.queue.depth{queue}} — messages ready in {@code <prefix>.jobs.edit} — and {@code
 * retouch.queue.consumers{queue}} — consumers attached to it. NaN while the broker cannot be asked.
 */
public final class QueueMetrics {

  static final Duration FRESHNESS = Duration.ofSeconds(10);

  private final AmqpAdmin admin;
  private final String queue;
  private final Clock clock;
  private Reading reading;

  /** One answer of the broker; NaN when it could not be asked. */
  private record Reading(Instant at, double depth, double consumers) {}

  public QueueMetrics(AmqpAdmin admin, Topology topology, Clock clock, MeterRegistry registry) {
    this.admin = admin;
    this.queue = topology.editQueue();
    this.clock = clock;
    Gauge.builder("retouch.queue.depth", this, m -> m.read().depth())
        .description("Messages ready in the job queue")
        .tag("queue", queue)
        .register(registry);
    Gauge.builder("retouch.queue.consumers", this, m -> m.read().consumers())
        .description("Consumers attached to the job queue")
        .tag("queue", queue)
        .register(registry);
  }

  private synchronized Reading read() {
    Instant now = clock.instant();
    if (reading == null || Duration.between(reading.at(), now).compareTo(FRESHNESS) >= 0) {
      try {
        Properties properties = admin.getQueueProperties(queue);
        reading =
            new Reading(
                now,
                number(properties, RabbitAdmin.QUEUE_MESSAGE_COUNT),
                number(properties, RabbitAdmin.QUEUE_CONSUMER_COUNT));
      } catch (RuntimeException e) {
        reading = new Reading(now, Double.NaN, Double.NaN);
      }
    }
    return reading;
  }

  private static double number(Properties properties, Object key) {
    Object value = properties == null ? null : properties.get(key);
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
