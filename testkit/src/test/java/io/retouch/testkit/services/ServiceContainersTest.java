package io.retouch.testkit.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.testkit.compose.ComposeFile;
import io.retouch.testkit.services.ServiceContainers.Engine;
import io.retouch.testkit.services.ServiceContainers.Kind;
import io.retouch.testkit.services.ServiceContainers.Started;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The containers that stand in for PostgreSQL and RabbitMQ when neither answers nor can be started
 * here. Docker cannot run on this machine, so a stand-in engine takes Testcontainers' place: what
 * is proven is the images, the settings the apps get, and that nothing is left running.
 */
class ServiceContainersTest {

  private final List<String> events = new ArrayList<>();

  /** Records starts and stops; fails to start {@code failing}, if given. */
  private Engine engine(Kind failing) {
    return kind -> {
      if (kind == failing) {
        throw new IllegalStateException("no image " + kind);
      }
      events.add("start " + kind.option());
      Map<String, String> env =
          kind == Kind.POSTGRES
              ? ServiceContainers.postgresEnvironment(
                  "jdbc:postgresql://localhost:32768/retouch", "retouch", "secret")
              : ServiceContainers.rabbitEnvironment("localhost", 32769, "guest", "guest");
      return new Started(env, () -> events.add("stop " + kind.option()));
    };
  }

  @Test
  void the_images_are_those_of_docker_compose() {
    ComposeFile compose = ComposeFile.load(Path.of("..", "docker-compose.yml"));

    assertThat(compose.service("postgres").image()).contains(ServiceContainers.POSTGRES_IMAGE);
    assertThat(compose.service("rabbitmq").image()).contains(ServiceContainers.RABBITMQ_IMAGE);
    assertThat(compose.service("postgres").environment())
        .containsEntry("POSTGRES_DB", ServiceContainers.COMPOSE_CREDENTIAL)
        .containsEntry("POSTGRES_USER", ServiceContainers.COMPOSE_CREDENTIAL)
        .containsEntry("POSTGRES_PASSWORD", ServiceContainers.COMPOSE_CREDENTIAL);
  }

  @Test
  void the_apps_get_the_spring_settings_of_every_container_and_close_stops_them_newest_first() {
    ServiceContainers containers =
        ServiceContainers.start(EnumSet.of(Kind.POSTGRES, Kind.RABBITMQ), engine(null));

    assertThat(containers.environment())
        .containsOnlyKeys(
            "SPRING_DATASOURCE_URL",
            "SPRING_DATASOURCE_USERNAME",
            "SPRING_DATASOURCE_PASSWORD",
            "SPRING_RABBITMQ_HOST",
            "SPRING_RABBITMQ_PORT",
            "SPRING_RABBITMQ_USERNAME",
            "SPRING_RABBITMQ_PASSWORD")
        .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://localhost:32768/retouch")
        .containsEntry("SPRING_RABBITMQ_PORT", "32769");

    containers.close();
    assertThat(events)
        .containsExactly("start postgres", "start rabbitmq", "stop rabbitmq", "stop postgres");
  }

  @Test
  void when_one_container_fails_to_start_the_ones_started_are_stopped() {
    assertThatThrownBy(
            () ->
                ServiceContainers.start(
                    EnumSet.of(Kind.POSTGRES, Kind.RABBITMQ), engine(Kind.RABBITMQ)))
        .hasMessageContaining("no image RABBITMQ");

    assertThat(events).containsExactly("start postgres", "stop postgres");
  }

  @Test
  void the_settings_file_reads_back_what_was_written(@TempDir Path dir) {
    Map<String, String> env =
        ServiceContainers.postgresEnvironment(
            "jdbc:postgresql://localhost:1/retouch?loggerLevel=OFF", "retouch", "p=w:d");
    Path file = dir.resolve("containers.env");

    ServiceContainers.write(env, file);

    assertThat(ServiceContainers.read(file)).isEqualTo(env);
    assertThat(dir.resolve("containers.env.tmp")).doesNotExist();
  }

  @Test
  void servers_are_named_on_the_command_line_by_their_option() {
    assertThat(Kind.of("rabbitmq")).isEqualTo(Kind.RABBITMQ);
    assertThatThrownBy(() -> Kind.of("redis")).hasMessageContaining("not a server: redis");
  }
}
