package io.retouch.db;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retouch.db.event.JobEventStore;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.JobRecovery;
import io.retouch.db.job.JobStore;
import io.retouch.db.metrics.BacklogMetrics;
import io.retouch.db.metrics.JobMetrics;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
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
  JobStore jobStore(JdbcClient jdbc, Clock clock, JobMetrics metrics) {
    return new JobStore(jdbc, clock, metrics);
  }

  @Bean
  AttemptStore attemptStore(JdbcClient jdbc, Clock clock, JobMetrics metrics) {
    return new AttemptStore(jdbc, clock, metrics);
  }

  @Bean
  JobRecovery jobRecovery(JdbcClient jdbc, Clock clock, JobMetrics metrics) {
    return new JobRecovery(jdbc, clock, metrics);
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
