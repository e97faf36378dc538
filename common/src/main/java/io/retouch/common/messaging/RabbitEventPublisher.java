package io.retouch.common.messaging;

import com.rabbitmq.client.AMQP;
import java.time.Duration;
import java.util.List;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes events, persistent, to the topic exchange {@code <prefix>.events} with the event type
 * as routing key and the event id as message id, and waits for the publisher confirms. Not
 * mandatory: an exchange nobody has bound a queue to is a deployment without in-house consumers,
 * not an error.
 */
public final class RabbitEventPublisher implements EventPublisher {

  private final RabbitTemplate rabbit;
  private final Topology topology;
  private final Duration confirmTimeout;

  public RabbitEventPublisher(RabbitTemplate rabbit, Topology topology, Duration confirmTimeout) {
    this.rabbit = rabbit;
    this.topology = topology;
    this.confirmTimeout = confirmTimeout;
  }

  @Override
  public void publish(List<Message> messages) {
    if (messages.isEmpty()) {
      return;
    }
    try {
      rabbit.execute(
          channel -> {
            for (Message message : messages) {
              channel.basicPublish(
                  topology.eventsExchange(),
                  message.type(),
                  false,
                  new AMQP.BasicProperties.Builder()
                      .contentType("application/json")
                      .deliveryMode(2)
                      .messageId(String.valueOf(message.id()))
                      .type(message.type())
                      .build(),
                  message.body());
            }
            channel.waitForConfirmsOrDie(confirmTimeout.toMillis());
            return null;
          });
    } catch (AmqpException e) {
      throw new JobPublisher.PublishFailedException(
          "RabbitMQ did not confirm " + messages.size() + " event(s): " + e.getMessage(), e);
    }
  }
}
