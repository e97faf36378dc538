package io.retouch.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RETOUCH_API_PORT as {@code scripts/stack up} reads it: the port, 0 for any, taken for a free one.
 */
class PortsTest {

  @Test
  void a_free_port_asked_for_is_given() {
    int free = Ports.free();
    assertThat(Ports.apiPort(free)).isEqualTo(new Ports.Choice(free, false));
  }

  @Test
  void a_port_something_listens_on_is_replaced_by_a_free_one_and_said_so() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Ports.Choice choice = Ports.apiPort(taken.getLocalPort());

      assertThat(choice.taken()).isTrue();
      assertThat(choice.port()).isNotEqualTo(taken.getLocalPort()).isPositive();
    }
  }

  @Test
  void zero_means_any_free_port() {
    assertThat(Ports.apiPort(0).port()).isPositive();
    assertThat(Ports.apiPort(0).taken()).isFalse();
  }

  @Test
  void an_unknown_stack_command_prints_the_usage_and_exits_with_two() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        StackCommand.run(
            new String[] {"sideways"},
            Map.of(),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("usage: scripts/stack up|down|status");
  }
}
