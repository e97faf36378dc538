package io.retouch.db.fair;

import io.retouch.common.messaging.JobPublisher;
import io.retouch.common.messaging.QueueProbe;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Admission, limits and the fair line (all processes); the relay's rounds where a relay runs. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DispatchProperties.class)
public class FairConfiguration {

  @Bean
  FairLine fairLine(JdbcClient jdbc) {
    return new FairLine(jdbc);
  }

  @Bean
  @Order(1)
  @ConditionalOnProperty(name = "retouch.outbox.enabled", matchIfMissing = true)
  FairDispatch fairDispatch(
      FairLine line,
      PlatformTransactionManager transactions,
      JobPublisher publisher,
      QueueProbe probe,
      DispatchProperties props) {
    return new FairDispatch(
        line, new TransactionTemplate(transactions), publisher, probe, props.readyPerConsumer());
  }

  @Bean
  @Order(2)
  @ConditionalOnProperty(name = "retouch.outbox.enabled", matchIfMissing = true)
  LostMessageSweeper lostMessageSweeper(
      FairLine line,
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      JobPublisher publisher,
      QueueProbe probe,
      DispatchProperties props) {
    return new LostMessageSweeper(
        line,
        jdbc,
        new TransactionTemplate(transactions),
        publisher,
        probe,
        new LostMessageSweeper.Settings(
            props.sweepInterval(), props.lostAfter(), props.sweepLimit()));
  }
}
