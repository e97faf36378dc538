package io.retouch.db.outbox;

import io.retouch.common.messaging.JobPublisher;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The relay for processes that publish (api and worker), not for one-shot commands. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboxProperties.class)
public class OutboxConfiguration {

  @Bean
  @ConditionalOnProperty(name = "retouch.outbox.enabled", matchIfMissing = true)
  OutboxRelay outboxRelay(
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      JobPublisher publisher,
      Clock clock,
      OutboxProperties props) {
    return new OutboxRelay(
        jdbc, new TransactionTemplate(transactions), publisher, clock, props.pollInterval(), 100);
  }
}
