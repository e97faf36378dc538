package io.retouch.common.webhook;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Webhook deliveries ({@code retouch.webhooks.*}).
 *
 * @param allowPrivateNetworks deliver to loopback, private, link-local and other internal addresses
 *     (tests and closed networks only: otherwise an endpoint could make Retouch call internal
 *     services); separate from {@code retouch.fetch.allow-private-networks}
 * @param timeout bound on one attempt: connecting, sending and reading the answer
 * @param retrySchedule wait before each attempt, the first counted from the event
 * @param disableAfter an endpoint whose every attempt failed for this long is turned off
 * @param pollInterval how often an idle dispatcher looks for due deliveries
 * @param concurrency deliveries one worker sends at once
 * @param retention how long events and delivery logs are kept
 */
@ConfigurationProperties("retouch.webhooks")
public record WebhookProperties(
    Boolean allowPrivateNetworks,
    Duration timeout,
    List<Duration> retrySchedule,
    Duration disableAfter,
    Duration pollInterval,
    Integer concurrency,
    Duration retention) {

  public WebhookProperties {
    allowPrivateNetworks = allowPrivateNetworks != null && allowPrivateNetworks;
    timeout = timeout == null ? Duration.ofSeconds(15) : timeout;
    retrySchedule =
        retrySchedule == null || retrySchedule.isEmpty()
            ? RetrySchedule.STANDARD.delays()
            : List.copyOf(retrySchedule);
    disableAfter = disableAfter == null ? Duration.ofDays(5) : disableAfter;
    pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
    concurrency = concurrency == null ? 8 : concurrency;
    retention = retention == null ? Duration.ofDays(30) : retention;
    if (concurrency < 1) {
      throw new IllegalArgumentException("retouch.webhooks.concurrency must be at least 1");
    }
  }

  public RetrySchedule schedule() {
    return new RetrySchedule(retrySchedule);
  }

  /**
   * How long a dispatcher holds a claimed delivery: twice the attempt's bound, so a live sender
   * always finishes first and a crashed one's deliveries are sent again soon after.
   */
  public Duration lease() {
    return timeout.multipliedBy(2).plusSeconds(1);
  }
}
