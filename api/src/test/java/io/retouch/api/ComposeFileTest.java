package io.retouch.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.common.messaging.MessagingProperties;
import io.retouch.common.openai.OpenAiProperties;
import io.retouch.common.storage.StorageProperties;
import io.retouch.db.outbox.OutboxProperties;
import io.retouch.testkit.compose.ComposeServiceContract;
import io.retouch.testkit.compose.SpringEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml's {@code api} service against what the api reads: every variable it sets is a
 * property of the api, the values bind, and they point at the compose file's own Postgres, RabbitMQ
 * and MinIO with matching credentials. Plain parsing: no Docker, no Spring context.
 */
class ComposeFileTest extends ComposeServiceContract {

  /** The configuration records the api binds (RetouchApiApplication and its imports). */
  private static final List<Class<? extends Record>> RECORDS =
      List.of(
          StorageProperties.class,
          MessagingProperties.class,
          OpenAiProperties.class,
          OutboxProperties.class,
          ApiProperties.class);

  /** Spring Boot's own properties the api's deployment may set. */
  private static final List<String> SPRING_PROPERTIES =
      List.of(
          "spring.datasource.url",
          "spring.datasource.username",
          "spring.datasource.password",
          "spring.rabbitmq.host",
          "spring.rabbitmq.port",
          "spring.rabbitmq.username",
          "spring.rabbitmq.password",
          "spring.rabbitmq.virtual-host",
          "server.port");

  ComposeFileTest() {
    super("api", RECORDS, SPRING_PROPERTIES);
  }

  @Test
  void presignedUrlsNameMinioAsPublishedOnTheHost() {
    StorageProperties storage =
        SpringEnvironment.bind(environment(service), StorageProperties.class);

    assertThat(storage.publicEndpoint()).isNotNull();
    assertThat(storage.publicEndpoint().getHost()).isEqualTo("localhost");
    assertThat(compose.service("minio").ports())
        .contains(storage.publicEndpoint().getPort() + ":" + storage.endpoint().getPort());
  }

  @Test
  void publishesTheServerPortAndProbesReadiness() {
    int port =
        SpringEnvironment.binder(environment(service))
            .bind("server.port", Integer.class)
            .orElse(8080);

    assertThat(service.ports()).contains("8080:" + port);
    assertThat(String.join(" ", service.healthcheck()))
        .contains("/actuator/health/readiness")
        .containsPattern("[:/]" + port + "(\\D|$)")
        .doesNotContain("curl", "wget"); // the eclipse-temurin JRE image has neither
  }
}
