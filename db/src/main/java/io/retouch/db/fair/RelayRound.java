package io.retouch.db.fair;

import java.time.Instant;

/**
 * Work the relay's thread does on every wake-up after draining the outbox: handing jobs of the fair
 * line to RabbitMQ, sweeping for lost messages. Each round runs its own transactions.
 */
@FunctionalInterface
public interface RelayRound {

  /**
   * @return messages published, so the relay knows whether to go on at once
   */
  int run(Instant now);
}
