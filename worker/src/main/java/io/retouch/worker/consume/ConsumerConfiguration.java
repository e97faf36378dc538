package io.retouch.worker.consume;

import io.retouch.common.messaging.JobPublisher;
import io.retouch.common.messaging.MessagingProperties;
import io.retouch.common.messaging.Topology;
import io.retouch.db.job.JobRecovery;
import io.retouch.db.job.JobStore;
import io.retouch.worker.WorkerProperties;
import io.retouch.worker.model.ModelLifecycle;
import io.retouch.worker.process.JobProcessor;
import java.time.Duration;
import java.util.Map;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * One consumer per unit of concurrency, each on a virtual thread with prefetch 1, so a worker holds
 * at most {@code retouch.worker.concurrency} unacknowledged messages and every job in memory is a
 * job being worked on. On shutdown the container stops taking messages and waits up to {@code
 * retouch.worker.shutdown-grace} for the running ones.
 */
@Configuration(proxyBeanMethods = false)
public class ConsumerConfiguration {

  /** Spring's default {@code spring.lifecycle.timeout-per-shutdown-phase}. */
  private static final Duration DEFAULT_SHUTDOWN_PHASE = Duration.ofSeconds(30);

  /**
   * Spring stops waiting for a lifecycle phase after {@code timeout-per-shutdown-phase}: a longer
   * grace period would be cut short silently, with the hand-back of unfinished jobs skipped. Better
   * to refuse to start.
   */
  static void requireGraceWithinShutdownPhase(Duration grace, Duration phase) {
    if (grace.compareTo(phase) >= 0) {
      throw new IllegalStateException(
          ("retouch.worker.shutdown-grace (%s) must be shorter than"
                  + " spring.lifecycle.timeout-per-shutdown-phase (%s), or the grace period is cut"
                  + " short on shutdown; raise the latter (e.g. to the grace plus 30s)")
              .formatted(grace, phase));
    }
  }

  @Bean
  JobMessageListener jobMessageListener(
      JobProcessor processor, JobStore jobs, JobPublisher publisher, WorkerProperties props) {
    return new JobMessageListener(processor, jobs, publisher, props.databaseOutageWait());
  }

  @Bean
  SimpleMessageListenerContainer jobListenerContainer(
      ConnectionFactory connectionFactory,
      Topology topology,
      JobMessageListener listener,
      WorkerProperties props,
      Environment environment) {
    requireGraceWithinShutdownPhase(
        props.shutdownGrace(),
        Binder.get(environment)
            .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
            .orElse(DEFAULT_SHUTDOWN_PHASE));
    SimpleMessageListenerContainer container =
        container(connectionFactory, "job-consumer-", props.concurrency());
    container.setQueueNames(topology.editQueue());
    container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
    container.setMessageListener(listener);
    container.setShutdownTimeout(props.shutdownGrace().toMillis());
    return container;
  }

  @Bean
  ModelGate modelGate(
      @Qualifier("jobListenerContainer") SimpleMessageListenerContainer jobListenerContainer,
      ModelLifecycle models) {
    return new ModelGate(jobListenerContainer, models);
  }

  @Bean
  SimpleMessageListenerContainer poisonedListenerContainer(
      ConnectionFactory connectionFactory,
      Topology topology,
      JobRecovery recovery,
      MessagingProperties messaging) {
    SimpleMessageListenerContainer container = container(connectionFactory, "poisoned-", 1);
    container.setQueueNames(topology.poisonedQueue());
    container.setAcknowledgeMode(AcknowledgeMode.AUTO);
    container.setMessageListener(new PoisonedMessageListener(recovery, messaging.deliveryLimit()));
    return container;
  }

  @Bean
  ConsumersHealthIndicator consumersHealthIndicator(
      @Qualifier("jobListenerContainer") SimpleMessageListenerContainer jobs,
      @Qualifier("poisonedListenerContainer") SimpleMessageListenerContainer poisoned) {
    return new ConsumersHealthIndicator(Map.of("jobs", jobs, "poisoned", poisoned));
  }

  private static SimpleMessageListenerContainer container(
      ConnectionFactory connectionFactory, String threadPrefix, int consumers) {
    SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(threadPrefix);
    executor.setVirtualThreads(true);
    SimpleMessageListenerContainer container =
        new SimpleMessageListenerContainer(connectionFactory);
    container.setPrefetchCount(1);
    container.setConcurrentConsumers(consumers);
    container.setTaskExecutor(executor);
    // the queues are declared by RabbitAdmin on connect; a broker that is down is retried
    container.setMissingQueuesFatal(false);
    // a span per message, continuing the trace in its traceparent header (the submitting request)
    container.setObservationEnabled(true);
    return container;
  }
}
