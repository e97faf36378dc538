package io.retouch.e2e;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import io.retouch.common.messaging.Topology;
import io.retouch.testkit.services.TestServices;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.UUID;

/** Direct access to this run's RabbitMQ, bypassing the apps, to deliver messages on purpose. */
final class Broker {

  private Broker() {}

  /** Publishes raw bodies to the jobs exchange, as a duplicate delivery would arrive. */
  static void publish(Collection<String> bodies) throws Exception {
    publish(topology().jobsExchange(), Topology.EDIT_ROUTING_KEY, bodies);
  }

  static Topology topology() {
    return new Topology(TestServices.get().rabbit().prefix());
  }

  /** Messages ready in a queue of this run. */
  static long depth(String queue) throws Exception {
    try (var connection =
            TestServices.get().rabbit().connectionFactory().newConnection("e2e-depth");
        var channel = connection.createChannel()) {
      return channel.messageCount(queue);
    }
  }

  /**
   * Drops every ready message of a queue, as an operator's purge or lost broker data would.
   *
   * @return how many were dropped
   */
  static long purge(String queue) throws Exception {
    try (var connection =
            TestServices.get().rabbit().connectionFactory().newConnection("e2e-purge");
        var channel = connection.createChannel()) {
      return channel.queuePurge(queue).getMessageCount();
    }
  }

  /** Consumers a queue of this run has now. */
  static long consumers(String queue) throws Exception {
    try (var connection =
            TestServices.get().rabbit().connectionFactory().newConnection("e2e-consumers");
        var channel = connection.createChannel()) {
      return channel.consumerCount(queue);
    }
  }

  /** Publishes raw bodies to any exchange of this run, with publisher confirms. */
  static void publish(String exchange, String routingKey, Collection<String> bodies)
      throws Exception {
    var rabbit = TestServices.get().rabbit();
    ConnectionFactory factory = rabbit.connectionFactory();
    try (var connection = factory.newConnection("e2e-publisher");
        var channel = connection.createChannel()) {
      channel.confirmSelect();
      for (String body : bodies) {
        channel.basicPublish(
            exchange,
            routingKey,
            new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .build(),
            body.getBytes(StandardCharsets.UTF_8));
      }
      channel.waitForConfirmsOrDie(30_000);
    }
  }

  static String jobMessage(UUID jobId) {
    return "{\"job_id\":\"" + jobId + "\",\"attempt\":1}";
  }
}
