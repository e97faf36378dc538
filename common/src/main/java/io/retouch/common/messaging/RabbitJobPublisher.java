package io.retouch.common.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ReturnListener;
import io.retouch.common.tracing.JobTracing;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes persistent job messages and waits for publisher confirms on the same channel, so a
 * return from {@link #publish} means the broker has taken responsibility for every message. The
 * messages are mandatory: one the broker cannot route (the work queue is missing) comes back and
 * fails the publish, rather than being confirmed and silently dropped. Needs {@code
 * spring.rabbitmq.publisher-confirm-type=simple}.
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
  public void publishAll(List<Outgoing> messages) {
    if (messages.isEmpty()) {
      return;
    }
    List<String> unroutable;
    try {
      unroutable =
          rabbit.execute(
              channel -> {
                List<String> returned = new CopyOnWriteArrayList<>();
                // The broker sends a return before the confirm of the same message, and the
                // client hands both over in that order: after the wait, every return is in.
                ReturnListener listener =
                    (code, text, exchange, key, props, body) ->
                        returned.add(props.getMessageId() + " (" + text + ")");
                channel.addReturnListener(listener);
                try {
                  for (Outgoing message : messages) {
                    channel.basicPublish(
                        topology.jobsExchange(),
                        Topology.EDIT_ROUTING_KEY,
                        true,
                        properties(message),
                        JobMessageCodec.encode(message.message()));
                  }
                  channel.waitForConfirmsOrDie(confirmTimeout.toMillis());
                } finally {
                  channel.removeReturnListener(listener);
                }
                return returned;
              });
    } catch (AmqpException e) {
      throw new PublishFailedException(
          "RabbitMQ did not confirm " + messages.size() + " job message(s): " + e.getMessage(), e);
    }
    if (unroutable != null && !unroutable.isEmpty()) {
      throw new PublishFailedException(
          "RabbitMQ could not route %d job message(s) from exchange %s (is queue %s declared?): %s"
              .formatted(
                  unroutable.size(), topology.jobsExchange(), topology.editQueue(), unroutable),
          null);
    }
  }

  private static AMQP.BasicProperties properties(Outgoing outgoing) {
    JobMessage message = outgoing.message();
    return new AMQP.BasicProperties.Builder()
        .contentType("application/json")
        .deliveryMode(2)
        .messageId(message.jobId() + ":" + message.attempt())
        .headers(
            outgoing
                .traceParent()
                .<Map<String, Object>>map(t -> Map.of(JobTracing.TRACE_PARENT, t))
                .orElse(null))
        .build();
  }
}
