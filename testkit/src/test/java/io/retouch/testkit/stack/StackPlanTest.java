package io.retouch.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.testkit.services.ServiceContainers.Kind;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * From the service decisions to what {@code up} starts and what its apps are told. Docker cannot
 * run here: this is where the container path of {@code scripts/stack up} is proven.
 */
class StackPlanTest {

  private static final Map<String, String> POSTGRES_CONTAINER =
      Map.of(
          "SPRING_DATASOURCE_URL", "jdbc:postgresql://localhost:32768/retouch",
          "SPRING_DATASOURCE_USERNAME", "retouch",
          "SPRING_DATASOURCE_PASSWORD", "retouch");

  @Test
  void servers_that_answer_or_start_locally_need_no_containers_component() {
    StackPlan plan = StackPlan.of(Set.of(), Map.of());

    assertThat(plan.components()).containsExactly("s3", "fake-openai", "api", "worker");
    assertThat(plan.appEnvironment(Map.of(), OptionalInt.empty(), OptionalInt.empty())).isEmpty();
  }

  @Test
  void containers_are_started_first_for_exactly_the_servers_that_need_them() {
    StackPlan plan = StackPlan.of(EnumSet.of(Kind.RABBITMQ, Kind.POSTGRES), Map.of());

    assertThat(plan.components())
        .containsExactly("containers", "s3", "fake-openai", "api", "worker");
    assertThat(plan.containersCommand(Path.of("/run/containers.env")))
        .containsExactly(
            "containers", "--servers", "postgres,rabbitmq", "--out", "/run/containers.env");
    assertThat(
            StackPlan.of(EnumSet.of(Kind.RABBITMQ), Map.of())
                .containersCommand(Path.of("c.env"))
                .get(2))
        .isEqualTo("rabbitmq");
  }

  @Test
  void the_apps_use_the_container_instead_of_the_configured_server_and_keep_the_rest() {
    StackPlan plan = StackPlan.of(EnumSet.of(Kind.POSTGRES), Map.of());

    Map<String, String> apps =
        plan.appEnvironment(POSTGRES_CONTAINER, OptionalInt.of(9000), OptionalInt.of(9001));

    assertThat(apps)
        .containsAllEntriesOf(POSTGRES_CONTAINER)
        .containsEntry("RETOUCH_STORAGE_ENDPOINT", "http://127.0.0.1:9000")
        .containsEntry("OPENAI_BASE_URL", "http://127.0.0.1:9001/v1")
        .containsEntry("OPENAI_API_KEY", StackPlan.FAKE_OPENAI_KEY)
        // RabbitMQ answered: the apps keep the user's SPRING_RABBITMQ_* (or the defaults)
        .doesNotContainKeys("SPRING_RABBITMQ_HOST", "SPRING_RABBITMQ_PORT");
  }

  @Test
  void a_configured_s3_and_a_real_openai_are_not_started_nor_overridden() {
    StackPlan plan =
        StackPlan.of(
            Set.of(),
            Map.of(
                "RETOUCH_STORAGE_ENDPOINT", "https://s3.example",
                "OPENAI_API_KEY", "sk-real",
                "RETOUCH_STACK_WORKERS", "2"));

    assertThat(plan.localS3()).isFalse();
    assertThat(plan.fakeOpenAi()).isFalse();
    assertThat(plan.components()).containsExactly("s3", "fake-openai", "api", "worker", "worker-2");
    assertThat(plan.appEnvironment(Map.of(), OptionalInt.empty(), OptionalInt.empty())).isEmpty();
  }
}
