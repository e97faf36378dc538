package io.retouch.api;

import io.retouch.api.bootstrap.BootstrapCommand;
import io.retouch.common.messaging.MessagingConfiguration;
import io.retouch.common.openai.OpenAiProperties;
import io.retouch.common.storage.StorageConfiguration;
import io.retouch.common.tracing.TracingConfiguration;
import io.retouch.db.DbConfiguration;
import io.retouch.db.event.EventConfiguration;
import io.retouch.db.outbox.OutboxConfiguration;
import io.retouch.db.webhook.WebhookConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/** The Retouch HTTP API; {@code bootstrap …} as first argument runs the install command instead. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableConfigurationProperties(OpenAiProperties.class)
@Import({
  DbConfiguration.class,
  EventConfiguration.class,
  WebhookConfiguration.class,
  OutboxConfiguration.class,
  StorageConfiguration.class,
  MessagingConfiguration.class,
  TracingConfiguration.class
})
public class RetouchApiApplication {

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals(BootstrapCommand.NAME)) {
      System.exit(BootstrapCommand.run(args));
    }
    SpringApplication.run(RetouchApiApplication.class, args);
  }
}
