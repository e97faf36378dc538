package io.retouch.worker;

import io.retouch.common.messaging.MessagingConfiguration;
import io.retouch.common.openai.OpenAiProperties;
import io.retouch.common.storage.StorageConfiguration;
import io.retouch.common.tracing.TracingConfiguration;
import io.retouch.db.DbConfiguration;
import io.retouch.db.event.EventConfiguration;
import io.retouch.db.outbox.OutboxConfiguration;
import io.retouch.db.webhook.WebhookConfiguration;
import io.retouch.worker.fetch.FetchProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/** The Retouch worker: consumes edit jobs and runs them against OpenAI. */
@SpringBootApplication
@EnableConfigurationProperties({
  WorkerProperties.class,
  FetchProperties.class,
  OpenAiProperties.class
})
@Import({
  DbConfiguration.class,
  EventConfiguration.class,
  WebhookConfiguration.class,
  OutboxConfiguration.class,
  StorageConfiguration.class,
  MessagingConfiguration.class,
  TracingConfiguration.class
})
public class RetouchWorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(RetouchWorkerApplication.class, args);
  }
}
