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
import tools.jackson.core.StreamReadConstraints;

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
    raiseJsonStringLimit();
    SpringApplication.run(RetouchWorkerApplication.class, args);
  }

  /**
   * One {@code b64_json} image is one JSON string; Jackson's default 20,000,000-character cap would
   * reject a large high-quality result. The OpenAI SDK brings its own (Jackson 2) mapper, so the
   * default is raised for the process.
   */
  static void raiseJsonStringLimit() {
    com.fasterxml.jackson.core.StreamReadConstraints.overrideDefaultStreamReadConstraints(
        com.fasterxml.jackson.core.StreamReadConstraints.builder()
            .maxStringLength(200_000_000)
            .build());
    StreamReadConstraints.overrideDefaultStreamReadConstraints(
        StreamReadConstraints.builder().maxStringLength(200_000_000).build());
  }
}
