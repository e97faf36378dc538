package io.retouch.db.outbox;

import io.retouch.common.messaging.JobPublisher;
import io.retouch.common.webhook.WebhookProperties;
import io.retouch.db.fair.FairConfiguration;
import io.retouch.db.fair.RelayRound;
import io.retouch.db.housekeeping.Housekeeping;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay and the housekeeping of long-running processes (api and worker), not of one-shot
 * commands like bootstrap.
 */
@Configuration(proxyBeanMethods = false)
@Import(FairConfiguration.class)
@EnableConfigurationProperties({OutboxProperties.class, WebhookProperties.class})
public class OutboxConfiguration {

  @Bean
  @ConditionalOnProperty(name = "retouch.outbox.enabled", matchIfMissing = true)
  OutboxRelay outboxRelay(
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      JobPublisher publisher,
      Clock clock,
      OutboxProperties props,
      ObjectProvider<RelayRound> rounds) {
    return new OutboxRelay(
        jdbc,
        new TransactionTemplate(transactions),
        publisher,
        clock,
        props.pollInterval(),
        100,
        rounds.orderedStream().toList());
  }

  /**
   * Prunes published outbox entries, expired idempotency keys, old events and deliveries, hourly.
   */
  @Bean
  Housekeeping housekeeping(JdbcClient jdbc, Clock clock, WebhookProperties webhooks) {
    return new Housekeeping(jdbc, clock, Duration.ofHours(1), webhooks.retention());
  }
}
