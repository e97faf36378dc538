package io.retouch.common.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the topology (Spring's {@code RabbitAdmin} applies it on every connection, so a broker
 * that restarts empty is set up again) and provides the confirmed {@link JobPublisher}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingConfiguration {

  @Bean
  Topology topology(MessagingProperties props) {
    return new Topology(props.prefix());
  }

  @Bean
  Declarables retouchTopology(Topology topology, MessagingProperties props) {
    DirectExchange jobs = new DirectExchange(topology.jobsExchange(), true, false);
    FanoutExchange dlx = new FanoutExchange(topology.deadLetterExchange(), true, false);
    Queue edit =
        QueueBuilder.durable(topology.editQueue())
            .quorum()
            .deliveryLimit(props.deliveryLimit())
            .deadLetterExchange(topology.deadLetterExchange())
            .build();
    // Bounded by its own declaration so that a poison storm cannot fill the broker's disk: the
    // oldest dead letter goes first (each one's job was failed by its copy in the poisoned queue,
    // so dropping it loses only the copy kept for inspection). A queue argument cannot change on
    // an existing queue; to change the bound later, use a policy (the lower of the two applies).
    Queue dead =
        QueueBuilder.durable(topology.deadQueue())
            .quorum()
            .maxLength(props.deadLetterMaxLength())
            .overflow(QueueBuilder.Overflow.dropHead)
            .build();
    Queue poisoned = QueueBuilder.durable(topology.poisonedQueue()).quorum().build();
    TopicExchange events = new TopicExchange(topology.eventsExchange(), true, false);
    Binding editBinding = BindingBuilder.bind(edit).to(jobs).with(Topology.EDIT_ROUTING_KEY);
    Binding deadBinding = BindingBuilder.bind(dead).to(dlx);
    Binding poisonedBinding = BindingBuilder.bind(poisoned).to(dlx);
    // the dead queue last: on a queue declared by an older version without the bound, the broker
    // refuses the declaration (logged, see amqpAdmin) and nothing after it on that channel is lost
    return new Declarables(
        jobs, dlx, edit, poisoned, events, editBinding, poisonedBinding, dead, deadBinding);
  }

  /**
   * Declares the topology on every connection. A queue that already exists with other arguments
   * (declared by an older version, or changed by hand) is logged and used as it is, rather than
   * stopping the application.
   */
  @Bean
  RabbitAdmin amqpAdmin(ConnectionFactory connectionFactory) {
    RabbitAdmin admin = new RabbitAdmin(connectionFactory);
    admin.setIgnoreDeclarationExceptions(true);
    return admin;
  }

  /** The job queue's depth and consumers, from the broker; no registry (tests), no gauges. */
  @Bean
  QueueMetrics queueMetrics(QueueProbe probe, ObjectProvider<MeterRegistry> registry) {
    return new QueueMetrics(probe, registry.getIfAvailable(SimpleMeterRegistry::new));
  }

  @Bean
  QueueProbe queueProbe(AmqpAdmin admin, Topology topology) {
    return new QueueProbe(admin, topology, Clock.systemUTC());
  }

  @Bean
  JobPublisher jobPublisher(RabbitTemplate rabbit, Topology topology, MessagingProperties props) {
    return new RabbitJobPublisher(rabbit, topology, props.confirmTimeout());
  }

  @Bean
  EventPublisher eventPublisher(
      RabbitTemplate rabbit, Topology topology, MessagingProperties props) {
    return new RabbitEventPublisher(rabbit, topology, props.confirmTimeout());
  }
}
