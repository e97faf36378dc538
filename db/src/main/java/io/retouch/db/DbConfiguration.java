package io.retouch.db;

import io.retouch.db.event.JobEventStore;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.JobRecovery;
import io.retouch.db.job.JobStore;
import java.time.Clock;
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

  @Bean
  JobStore jobStore(JdbcClient jdbc, Clock clock) {
    return new JobStore(jdbc, clock);
  }

  @Bean
  AttemptStore attemptStore(JdbcClient jdbc, Clock clock) {
    return new AttemptStore(jdbc, clock);
  }

  @Bean
  JobRecovery jobRecovery(JdbcClient jdbc, Clock clock) {
    return new JobRecovery(jdbc, clock);
  }

  @Bean
  JobEventStore jobEventStore(JdbcClient jdbc) {
    return new JobEventStore(jdbc);
  }
}
