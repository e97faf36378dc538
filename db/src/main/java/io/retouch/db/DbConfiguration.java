package io.retouch.db;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retouch.db.auth.ApiKeyLookup;
import io.retouch.db.event.JobEventStore;
import io.retouch.db.fair.QueueStanding;
import io.retouch.db.job.AdmissionControl;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.JobRecovery;
import io.retouch.db.job.JobStore;
import io.retouch.db.job.TransitionListener;
import io.retouch.db.limits.KeyBuckets;
import io.retouch.db.limits.LimitProperties;
import io.retouch.db.metrics.BacklogMetrics;
import io.retouch.db.metrics.JobMetrics;
import io.retouch.db.outbox.OutboxRelay;
import io.retouch.db.usage.UsageStore;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The persistence beans api and worker share. Flyway (Boot's auto-configuration) applies {@code
 * db/migration} at start; running it from several instances at once is safe, Flyway takes a lock.
 */
@Configuration(proxyBeanMethods = false)
@EntityScan(basePackages = "io.retouch.db")
@EnableJpaRepositories(basePackages = "io.retouch.db")
@EnableConfigurationProperties(LimitProperties.class)
public class DbConfiguration {

  /** The one clock; tests replace it to move time instead of sleeping. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Counts every committed transition; the apps' registry exports them, tests have none. */
  @Bean
  JobMetrics jobMetrics(ObjectProvider<MeterRegistry> registry) {
    return new JobMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
  }

  @Bean
  JobStore jobStore(
      JdbcClient jdbc,
      Clock clock,
      JobMetrics metrics,
      AdmissionControl admission,
      ObjectProvider<OutboxRelay> relay) {
    return new JobStore(jdbc, clock, listener(metrics, relay), admission);
  }

  @Bean
  AttemptStore attemptStore(
      JdbcClient jdbc, Clock clock, JobMetrics metrics, ObjectProvider<OutboxRelay> relay) {
    return new AttemptStore(jdbc, clock, listener(metrics, relay));
  }

  @Bean
  JobRecovery jobRecovery(
      JdbcClient jdbc, Clock clock, JobMetrics metrics, ObjectProvider<OutboxRelay> relay) {
    return new JobRecovery(jdbc, clock, listener(metrics, relay));
  }

  /**
   * Every committed transition is counted and wakes this process's relay: a submitted job may be
   * handed to RabbitMQ, a started or finished one has freed a place in the queue or a dataset's
   * cap.
   */
  private static TransitionListener listener(
      JobMetrics metrics, ObjectProvider<OutboxRelay> relay) {
    return change -> {
      metrics.committed(change);
      relay.ifAvailable(OutboxRelay::wakeUp);
    };
  }

  @Bean
  AdmissionControl admissionControl(JdbcClient jdbc, LimitProperties limits) {
    return new AdmissionControl(jdbc, limits.datasetMaxActive());
  }

  @Bean
  ApiKeyLookup apiKeyLookup(JdbcClient jdbc) {
    return new ApiKeyLookup(jdbc);
  }

  @Bean
  KeyBuckets keyBuckets(JdbcClient jdbc, LimitProperties limits) {
    return new KeyBuckets(jdbc, limits.keyRate(), limits.keyBurst());
  }

  @Bean
  UsageStore usageStore(JdbcClient jdbc) {
    return new UsageStore(jdbc);
  }

  @Bean
  QueueStanding queueStanding(JdbcClient jdbc, Clock clock) {
    return new QueueStanding(jdbc, clock);
  }

  @Bean
  BacklogMetrics backlogMetrics(
      JdbcClient jdbc, Clock clock, ObjectProvider<MeterRegistry> registry) {
    return new BacklogMetrics(jdbc, clock, registry.getIfAvailable(SimpleMeterRegistry::new));
  }

  @Bean
  JobEventStore jobEventStore(JdbcClient jdbc) {
    return new JobEventStore(jdbc);
  }
}
