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
 */
@ConfigurationProperties("retouch.amqp")
public record MessagingProperties(String prefix, Integer deliveryLimit, Duration confirmTimeout) {

  public MessagingProperties {
    prefix = prefix == null || prefix.isBlank() ? "retouch" : prefix;
    deliveryLimit = deliveryLimit == null ? 10 : deliveryLimit;
    confirmTimeout = confirmTimeout == null ? Duration.ofSeconds(10) : confirmTimeout;
  }
}
