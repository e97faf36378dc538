package io.retouch.common.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * The job queue as the broker sees it, as gauges read at most every {@link #FRESHNESS} (a passive
 * declare, on scrape; every process reports the same values, so take {@code max}): {@code
 * retouch.queue.depth{queue}} — messages ready in {@code <prefix>.jobs.edit} — and {@code
 * retouch.queue.consumers{queue}} — consumers attached to it. NaN while the broker cannot be asked.
 */
public final class QueueMetrics {

  static final Duration FRESHNESS = Duration.ofSeconds(10);

  public QueueMetrics(QueueProbe probe, MeterRegistry registry) {
    Gauge.builder(
            "retouch.queue.depth",
            probe,
            p -> p.read(FRESHNESS).map(r -> (double) r.ready()).orElse(Double.NaN))
        .description("Messages ready in the job queue")
        .tag("queue", probe.queue())
        .register(registry);
    Gauge.builder(
            "retouch.queue.consumers",
            probe,
            p -> p.read(FRESHNESS).map(r -> (double) r.consumers()).orElse(Double.NaN))
        .description("Consumers attached to the job queue")
        .tag("queue", probe.queue())
        .register(registry);
  }
}
