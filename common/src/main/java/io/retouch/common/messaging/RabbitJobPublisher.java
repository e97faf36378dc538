package io.retouch.common.messaging;

import java.time.Duration;
import java.util.List;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes persistent job messages and waits for publisher confirms on the same channel, so a
 * return from {@link #publish} means the broker has taken responsibility for every message. Needs
 * {@code spring.rabbitmq.publisher-confirm-type=simple}.
 */
public final class RabbitJobPublisher implements JobPublisher {

  private final RabbitTemplate rabbit;
  private final Topology topology;
  private final Duration confirmTimeout;

  public RabbitJobPublisher(RabbitTemplate rabbit, Topology topology, Duration confirmTimeout) {
    this.rabbit = rabbit;
    this.topology = topology;
    this.confirmTimeout = confirmTimeout;
  }

  @Override
  public void publish(List<JobMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    try {
      rabbit.invoke(
          ops -> {
            for (JobMessage message : messages) {
              ops.send(topology.jobsExchange(), Topology.EDIT_ROUTING_KEY, toAmqp(message));
            }
            ops.waitForConfirmsOrDie(confirmTimeout.toMillis());
            return null;
          });
    } catch (AmqpException e) {
      throw new PublishFailedException(
          "RabbitMQ did not confirm " + messages.size() + " job message(s): " + e.getMessage(), e);
    }
  }

  private static Message toAmqp(JobMessage message) {
    return MessageBuilder.withBody(JobMessageCodec.encode(message))
        .setContentType(MessageProperties.CONTENT_TYPE_JSON)
        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
        .setMessageId(message.jobId() + ":" + message.attempt())
        .build();
  }
}
