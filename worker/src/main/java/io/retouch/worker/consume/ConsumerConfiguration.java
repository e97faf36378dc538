package io.retouch.worker.consume;

import io.retouch.common.messaging.Topology;
import io.retouch.worker.WorkerProperties;
import io.retouch.worker.process.JobProcessor;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * One consumer per unit of concurrency, each on a virtual thread with prefetch 1, so a worker holds
 * at most {@code retouch.worker.concurrency} unacknowledged messages and every job in memory is a
 * job being worked on.
 */
@Configuration(proxyBeanMethods = false)
public class ConsumerConfiguration {

  @Bean
  JobMessageListener jobMessageListener(JobProcessor processor) {
    return new JobMessageListener(processor);
  }

  @Bean
  SimpleMessageListenerContainer jobListenerContainer(
      ConnectionFactory connectionFactory,
      Topology topology,
      JobMessageListener listener,
      WorkerProperties props) {
    SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("job-consumer-");
    executor.setVirtualThreads(true);
    SimpleMessageListenerContainer container =
        new SimpleMessageListenerContainer(connectionFactory);
    container.setQueueNames(topology.editQueue());
    container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
    container.setPrefetchCount(1);
    container.setConcurrentConsumers(props.concurrency());
    container.setTaskExecutor(executor);
    container.setMessageListener(listener);
    // the queue is declared by RabbitAdmin on connect; a broker that is down is retried, not fatal
    container.setMissingQueuesFatal(false);
    container.setShutdownTimeout(props.shutdownGrace().toMillis());
    return container;
  }
}
