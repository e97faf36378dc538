package io.retouch.db.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.GetResponse;
import io.retouch.common.messaging.Topology;
import io.retouch.db.DbIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The declared RabbitMQ topology on a real broker: a message requeued past the quorum queue's
 * delivery limit (2 in these tests) is dead-lettered, once parked for operators and once to the
 * workers' poisoned feed.
 */
class TopologyTest extends DbIntegrationTest {

  @Autowired RabbitTemplate rabbit;
  @Autowired AmqpAdmin admin;
  @Autowired Topology topology;

  @Test
  void a_message_requeued_past_the_delivery_limit_is_dead_lettered_to_both_queues() {
    for (String queue : topology.queues()) {
      admin.purgeQueue(queue, false);
    }
    byte[] body = "{\"job_id\":\"not-even-a-uuid\"}".getBytes(StandardCharsets.UTF_8);
    rabbit.execute(
        channel -> {
          channel.basicPublish(topology.jobsExchange(), Topology.EDIT_ROUTING_KEY, null, body);
          return null;
        });

    rabbit.execute(
        channel -> {
          for (int delivery = 0; delivery < 3; delivery++) {
            GetResponse got =
                await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> channel.basicGet(topology.editQueue(), false), r -> r != null);
            channel.basicNack(got.getEnvelope().getDeliveryTag(), false, true);
          }
          return null;
        });

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> messages(topology.deadQueue()) == 1 && messages(topology.poisonedQueue()) == 1);
    assertThat(messages(topology.editQueue())).isZero();
  }

  @Test
  void the_dead_letter_queue_keeps_its_declared_bound_dropping_the_oldest() {
    for (String queue : topology.queues()) {
      admin.purgeQueue(queue, false);
    }
    rabbit.execute(
        channel -> {
          for (int i = 1; i <= 3; i++) {
            channel.basicPublish(
                topology.deadLetterExchange(),
                "",
                null,
                ("dead-" + i).getBytes(StandardCharsets.UTF_8));
          }
          return null;
        });

    await().atMost(Duration.ofSeconds(10)).until(() -> messages(topology.poisonedQueue()) == 3);
    // retouch.amqp.dead-letter-max-length=2 in these tests
    assertThat(messages(topology.deadQueue())).isEqualTo(2);
    String oldestKept =
        rabbit.execute(
            channel ->
                new String(
                    channel.basicGet(topology.deadQueue(), true).getBody(),
                    StandardCharsets.UTF_8));
    assertThat(oldestKept).isEqualTo("dead-2");
  }

  private long messages(String queue) {
    var info = admin.getQueueInfo(queue);
    return info == null ? -1 : info.getMessageCount();
  }
}
