package io.retouch.db.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.common.messaging.JobMessage;
import io.retouch.common.messaging.JobMessageCodec;
import io.retouch.common.messaging.JobPublisher.PublishFailedException;
import io.retouch.common.messaging.RabbitJobPublisher;
import io.retouch.common.messaging.Topology;
import io.retouch.db.DbIntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

/** Publishing job messages on a real broker: confirmed when routed, refused when not. */
class RabbitJobPublisherTest extends DbIntegrationTest {

  @Autowired RabbitTemplate rabbit;
  @Autowired AmqpAdmin admin;
  @Autowired Topology topology;

  @Test
  void a_confirmed_message_is_on_the_work_queue() {
    admin.purgeQueue(topology.editQueue(), false);
    JobMessage message = new JobMessage(UUID.randomUUID(), 3);

    new RabbitJobPublisher(rabbit, topology, Duration.ofSeconds(5)).publish(List.of(message));

    Message got = rabbit.receive(topology.editQueue(), 5000);
    assertThat(got).isNotNull();
    assertThat(JobMessageCodec.decode(got.getBody())).isEqualTo(message);
    assertThat(got.getMessageProperties().getMessageId()).isEqualTo(message.jobId() + ":3");
  }

  @Test
  void a_message_no_queue_takes_fails_the_publish_instead_of_vanishing() {
    // an exchange with nothing bound to it: what the broker has when the work queue is missing
    Topology orphan = new Topology(topology.prefix() + "-orphan");
    DirectExchange exchange = new DirectExchange(orphan.jobsExchange(), false, true);
    admin.declareExchange(exchange);
    try {
      var publisher = new RabbitJobPublisher(rabbit, orphan, Duration.ofSeconds(5));
      assertThatThrownBy(() -> publisher.publish(List.of(new JobMessage(UUID.randomUUID(), 1))))
          .isInstanceOf(PublishFailedException.class)
          .hasMessageContaining("could not route 1 job message(s)")
          .hasMessageContaining(orphan.editQueue());
    } finally {
      admin.deleteExchange(orphan.jobsExchange());
    }
  }
}
