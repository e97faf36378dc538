package io.retouch.db.event;

import io.retouch.common.messaging.EventPublisher;
import io.retouch.common.storage.ObjectStore;
import io.retouch.common.storage.StorageProperties;
import io.retouch.db.fair.QueueStanding;
import io.retouch.db.job.JobStore;
import io.retouch.db.outbox.OutboxProperties;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Job events as channels send them, and their relay to the events exchange. */
@Configuration(proxyBeanMethods = false)
public class EventConfiguration {

  @Bean
  JobViews jobViews(
      ObjectStore store, StorageProperties storage, QueueStanding standing, Clock clock) {
    return new JobViews(store, storage, standing, clock);
  }

  @Bean
  EventRenderer eventRenderer(JobStore jobs, JobViews views) {
    return new EventRenderer(jobs, views);
  }

  @Bean
  @ConditionalOnProperty(name = "retouch.outbox.enabled", matchIfMissing = true)
  EventRelay eventRelay(
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      EventPublisher publisher,
      EventRenderer renderer,
      Clock clock,
      OutboxProperties props) {
    return new EventRelay(
        jdbc,
        new TransactionTemplate(transactions),
        publisher,
        renderer,
        clock,
        props.pollInterval(),
        100);
  }
}
