package io.retouch.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retouch.common.messaging.JobMessage;
import io.retouch.common.messaging.RabbitJobPublisher;
import io.retouch.common.messaging.Topology;
import io.retouch.db.job.JobStore;
import io.retouch.db.job.TransitionListener;
import io.retouch.testkit.services.RabbitService;
import io.retouch.testkit.services.TestServices;
import io.retouch.worker.process.JobHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database outage longer than the delivery limit times the consumer's wait fails no job: the
 * message keeps coming back as a fresh copy instead of being requeued until the quorum queue
 * dead-letters it. The broker is real (a queue with a delivery limit of 2); the database is away.
 */
class DatabaseOutageTest {

  private static final int DELIVERY_LIMIT = 2;

  private final RabbitService rabbit = TestServices.get().rabbit();
  private final Topology topology = new Topology(rabbit.prefix() + "-outage");
  private CachingConnectionFactory connections;
  private RabbitAdmin admin;
  private SimpleMessageListenerContainer container;

  @BeforeEach
  void declare() {
    connections = new CachingConnectionFactory(rabbit.connectionFactory());
    connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
    admin = new RabbitAdmin(connections);
    DirectExchange jobs = new DirectExchange(topology.jobsExchange(), true, false);
    FanoutExchange dlx = new FanoutExchange(topology.deadLetterExchange(), true, false);
    Queue edit =
        QueueBuilder.durable(topology.editQueue())
            .quorum()
            .deliveryLimit(DELIVERY_LIMIT)
            .deadLetterExchange(topology.deadLetterExchange())
            .build();
    Queue dead = QueueBuilder.durable(topology.deadQueue()).quorum().build();
    admin.declareExchange(jobs);
    admin.declareExchange(dlx);
    admin.declareQueue(edit);
    admin.declareQueue(dead);
    admin.declareBinding(BindingBuilder.bind(edit).to(jobs).with(Topology.EDIT_ROUTING_KEY));
    admin.declareBinding(BindingBuilder.bind(dead).to(dlx));
  }

  @AfterEach
  void remove() {
    if (container != null) {
      container.stop();
    }
    admin.deleteQueue(topology.editQueue());
    admin.deleteQueue(topology.deadQueue());
    admin.deleteExchange(topology.jobsExchange());
    admin.deleteExchange(topology.deadLetterExchange());
    connections.destroy();
  }

  @Test
  void a_message_outlasting_its_delivery_limit_in_an_outage_is_never_dead_lettered() {
    JobStore unreachable =
        new JobStore(
            JdbcClient.create(
                new DriverManagerDataSource(
                    "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1", "postgres", "")),
            Clock.systemUTC(),
            TransitionListener.NONE);
    AtomicInteger deliveries = new AtomicInteger();
    JobHandler databaseDown =
        jobId -> {
          deliveries.incrementAndGet();
          throw new CannotGetJdbcConnectionException("the database is down");
        };
    RabbitJobPublisher publisher =
        new RabbitJobPublisher(new RabbitTemplate(connections), topology, Duration.ofSeconds(5));
    container = new SimpleMessageListenerContainer(connections);
    container.setQueueNames(topology.editQueue());
    container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
    container.setPrefetchCount(1);
    // no wait at all: each delivery meets the outage at once, as after a long one
    container.setMessageListener(
        new JobMessageListener(databaseDown, unreachable, publisher, Duration.ZERO));
    container.start();

    publisher.publish(List.of(new JobMessage(UUID.randomUUID(), 1)));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> deliveries.get() >= 3 * (DELIVERY_LIMIT + 1));
    container.stop();

    assertThat(count(topology.deadQueue())).as("dead-lettered").isZero();
    assertThat(count(topology.editQueue())).as("waiting for the database").isEqualTo(1);
  }

  private int count(String queue) {
    Properties properties = admin.getQueueProperties(queue);
    return ((Number) properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).intValue();
  }
}
