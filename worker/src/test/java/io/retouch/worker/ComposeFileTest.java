package io.retouch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.common.messaging.MessagingProperties;
import io.retouch.common.openai.OpenAiProperties;
import io.retouch.common.storage.StorageProperties;
import io.retouch.db.outbox.OutboxProperties;
import io.retouch.testkit.compose.ComposeFile;
import io.retouch.testkit.compose.ComposeServiceContract;
import io.retouch.testkit.compose.SpringEnvironment;
import io.retouch.worker.fetch.FetchProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml's {@code worker} service against what the worker reads: every variable it sets
 * is a property of the worker, the values bind, and they point at the compose file's own Postgres,
 * RabbitMQ and MinIO with matching credentials. Plain parsing: no Docker, no Spring context.
 */
class ComposeFileTest extends ComposeServiceContract {

  /** The configuration records the worker binds (RetouchWorkerApplication and its imports). */
  private static final List<Class<? extends Record>> RECORDS =
      List.of(
          StorageProperties.class,
          MessagingProperties.class,
          OpenAiProperties.class,
          OutboxProperties.class,
          WorkerProperties.class,
          FetchProperties.class);

  /** Spring Boot's own properties the worker's deployment may set (it has no web server). */
  private static final List<String> SPRING_PROPERTIES =
      List.of(
          "spring.datasource.url",
          "spring.datasource.username",
          "spring.datasource.password",
          "spring.rabbitmq.host",
          "spring.rabbitmq.port",
          "spring.rabbitmq.username",
          "spring.rabbitmq.password",
          "spring.rabbitmq.virtual-host");

  ComposeFileTest() {
    super("worker", RECORDS, SPRING_PROPERTIES);
  }

  @Test
  void openAiKeyIsOptionalAndPassedThrough() {
    OpenAiProperties unset = SpringEnvironment.bind(environment(service), OpenAiProperties.class);
    assertThat(unset.apiKey()).isEmpty();
    assertThat(unset.baseUrl()).isEqualTo(URI.create("https://api.openai.com/v1"));
    assertThat(unset.model()).isEqualTo(OpenAiProperties.DEFAULT_MODEL);
    assertThat(unset.fallbackModels()).isEqualTo(OpenAiProperties.DEFAULT_FALLBACKS);

    ComposeFile.Service exported =
        ComposeFile.load(
                COMPOSE,
                Map.of(
                    "OPENAI_API_KEY", "sk-test",
                    "OPENAI_BASE_URL", "http://proxy:8081/v1",
                    "RETOUCH_OPENAI_MODEL", "gpt-image-2"))
            .service(module);
    OpenAiProperties set = SpringEnvironment.bind(environment(exported), OpenAiProperties.class);
    assertThat(set.apiKey()).isEqualTo("sk-test");
    assertThat(set.baseUrl()).isEqualTo(URI.create("http://proxy:8081/v1"));
    assertThat(set.model()).isEqualTo("gpt-image-2");
  }

  @Test
  void apiAndWorkerAgreeOnEverythingTheyShare() {
    Map<String, String> api = compose.service("api").environment();

    service.environment().entrySet().stream()
        .filter(e -> !e.getKey().startsWith("OPENAI_"))
        .forEach(
            e -> assertThat(api).as("api environment").containsEntry(e.getKey(), e.getValue()));
  }

  @Test
  void scalesOutWithoutCollisions() {
    assertThat(service.ports()).isEmpty();
    assertThat(service.raw()).doesNotContainKey("container_name");
  }

  @Test
  void dockerWaitsForTheShutdownGraceBeforeKilling() {
    WorkerProperties worker = SpringEnvironment.bind(environment(service), WorkerProperties.class);
    Object grace = service.raw().get("stop_grace_period");

    assertThat(grace).as("stop_grace_period (Docker's default is 10s)").isNotNull();
    assertThat(Duration.parse("PT" + String.valueOf(grace).toUpperCase()))
        .isGreaterThan(worker.shutdownGrace());
  }
}
