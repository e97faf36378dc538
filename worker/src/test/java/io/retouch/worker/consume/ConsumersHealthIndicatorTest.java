package io.retouch.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retouch.testkit.services.RabbitService;
import io.retouch.testkit.services.TestServices;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.health.contributor.Status;

/** The consumers' health follows their containers on the real broker. */
class ConsumersHealthIndicatorTest {

  @Test
  void up_while_every_container_consumes_and_down_once_one_is_stopped() {
    RabbitService rabbit = TestServices.get().rabbit();
    CachingConnectionFactory connections =
        new CachingConnectionFactory(rabbit.host(), rabbit.port());
    connections.setUsername(rabbit.username());
    connections.setPassword(rabbit.password());
    connections.setVirtualHost(rabbit.virtualHost());
    String queue = rabbit.prefix() + ".health-test-" + UUID.randomUUID();
    RabbitAdmin admin = new RabbitAdmin(connections);
    admin.declareQueue(new Queue(queue, false, true, true));
    SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
    container.setQueueNames(queue);
    container.setMessageListener(message -> {});
    var indicator = new ConsumersHealthIndicator(Map.of("jobs", container));
    try {
      assertThat(indicator.health().getStatus()).as("not started").isEqualTo(Status.DOWN);

      container.start();
      await().atMost(Duration.ofSeconds(20)).until(container::isActive);
      var up = indicator.health();
      assertThat(up.getStatus()).isEqualTo(Status.UP);
      assertThat(up.getDetails().get("jobs").toString()).contains(queue);

      container.stop();
      assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
    } finally {
      container.stop();
      admin.deleteQueue(queue);
      connections.destroy();
    }
  }
}
