package io.retouch.db.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The outbox relay ({@code retouch.outbox.*}).
 *
 * @param enabled run a relay in this process (safe in any number of processes)
 * @param pollInterval how often the relay looks for due entries when nobody woke it: the bound on
 *     how late a delayed retry starts and how soon entries left by a crash are published
 */
@ConfigurationProperties("retouch.outbox")
public record OutboxProperties(Boolean enabled, Duration pollInterval) {

  public OutboxProperties {
    enabled = enabled == null || enabled;
    pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
  }
}
