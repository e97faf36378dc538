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
    var rabbit = TestServices.get().rabbit();
    ConnectionFactory factory = rabbit.connectionFactory();
    Topology topology = new Topology(rabbit.prefix());
    try (var connection = factory.newConnection("e2e-publisher");
        var channel = connection.createChannel()) {
      channel.confirmSelect();
      for (String body : bodies) {
        channel.basicPublish(
            topology.jobsExchange(),
            Topology.EDIT_ROUTING_KEY,
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
