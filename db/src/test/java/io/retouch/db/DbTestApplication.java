package io.retouch.db;

import io.retouch.common.messaging.MessagingConfiguration;
import io.retouch.db.outbox.OutboxConfiguration;
import io.retouch.db.webhook.WebhookConfiguration;
import io.retouch.testkit.time.MutableClock;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/** The db module's beans on the run's own database and broker, with a clock tests move. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({
  DbConfiguration.class,
  OutboxConfiguration.class,
  MessagingConfiguration.class,
  WebhookConfiguration.class
})
public class DbTestApplication {

  @Bean
  @Primary
  MutableClock testClock() {
    return MutableClock.startingNow();
  }
}
