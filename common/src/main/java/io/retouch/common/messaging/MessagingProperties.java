package io.retouch.common.messaging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * RabbitMQ topology and publishing ({@code retouch.amqp.*}); the connection itself is Spring Boot's
 * {@code spring.rabbitmq.*}.
 *
 * @param prefix prefix of every exchange and queue name
 * @param deliveryLimit deliveries of one message before the quorum queue dead-letters it
 * @param confirmTimeout how long a publish waits for the broker's confirm
 * @param deadLetterMaxLength messages the dead-letter queue keeps; past it the oldest is dropped
 *     (applied when the queue is first declared)
 */
@ConfigurationProperties("retouch.amqp")
public record MessagingProperties(
    String prefix, Integer deliveryLimit, Duration confirmTimeout, Integer deadLetterMaxLength) {

  public MessagingProperties {
    prefix = prefix == null || prefix.isBlank() ? "retouch" : prefix;
    deliveryLimit = deliveryLimit == null ? 10 : deliveryLimit;
    confirmTimeout = confirmTimeout == null ? Duration.ofSeconds(10) : confirmTimeout;
    deadLetterMaxLength = deadLetterMaxLength == null ? 100_000 : deadLetterMaxLength;
    if (deadLetterMaxLength < 1) {
      throw new IllegalArgumentException("retouch.amqp.dead-letter-max-length must be at least 1");
    }
  }
}
