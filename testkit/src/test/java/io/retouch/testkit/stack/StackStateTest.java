package io.retouch.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code up} leaves in {@code stack.env} for {@code status}, {@code down} and the next up. */
class StackStateTest {

  @TempDir Path root;

  private static final Map<String, String> CONTAINERS =
      Map.of(
          "SPRING_DATASOURCE_URL", "jdbc:postgresql://localhost:32768/retouch?loggerLevel=OFF",
          "SPRING_RABBITMQ_PORT", "32769");

  @Test
  void what_up_saved_is_what_the_next_command_loads() {
    Path file = root.resolve("stack.env");
    StackState saved =
        new StackState(
            8080,
            "http://127.0.0.1:8080",
            "http://127.0.0.1:9000",
            OptionalInt.of(9000),
            "http://127.0.0.1:9001/v1",
            OptionalInt.of(9001),
            3,
            CONTAINERS);

    saved.save(file);

    assertThat(StackState.load(file)).contains(saved);
  }

  @Test
  void a_stack_without_local_servers_or_containers_loads_with_none() {
    Path file = root.resolve("stack.env");
    StackState saved =
        new StackState(
            8080,
            "http://127.0.0.1:8080",
            "https://s3.example",
            OptionalInt.empty(),
            "https://api.openai.com/v1",
            OptionalInt.empty(),
            1,
            Map.of());

    saved.save(file);

    StackState loaded = StackState.load(file).orElseThrow();
    assertThat(loaded).isEqualTo(saved);
    assertThat(loaded.components()).doesNotContain(StackState.CONTAINERS);
  }

  @Test
  void a_missing_or_unreadable_file_is_a_stack_that_was_never_up() throws Exception {
    Path file = root.resolve("stack.env");
    assertThat(StackState.load(file)).isEmpty();

    Files.writeString(file, "API_PORT=eighty\n");
    assertThat(StackState.load(file)).isEmpty();
  }

  @Test
  void components_start_with_the_containers_and_end_with_the_workers() {
    assertThat(StackState.components(2, true))
        .containsExactly("containers", "s3", "fake-openai", "api", "worker", "worker-2");
    assertThat(StackState.components(1, false))
        .containsExactly("s3", "fake-openai", "api", "worker");
  }

  @Test
  void down_stops_what_a_crashed_up_left_first_and_the_containers_last() throws Exception {
    StackDir dir = new StackDir(root, root.resolve(".run"));
    dir.create();
    new StackState(8080, "u", "s", OptionalInt.empty(), "o", OptionalInt.empty(), 2, CONTAINERS)
        .save(dir.state());
    Components components = new Components(dir);
    components.remember("worker-3", ProcessHandle.current().pid()); // not in the state

    StackDown down =
        new StackDown(
            dir,
            components,
            new Say(
                "stack",
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

    assertThat(down.stopOrder())
        .containsExactly(
            "worker-3", "worker-2", "worker", "api", "fake-openai", "s3", "containers");
  }
}
