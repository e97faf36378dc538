package io.retouch.testkit.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/lib/services.sh} decides, for a server the tests need, between using it, starting
 * the local one, leaving it to Testcontainers, and saying what to install. Docker cannot run here,
 * so the decision is tested with stand-in commands on an isolated {@code PATH}.
 */
class ServicePlanTest {

  private static final Path SERVICES = Path.of("..", "scripts", "lib", "services.sh");

  @TempDir Path bin;

  @Test
  void a_server_that_answers_is_used() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(plan(listening.getLocalPort(), "pg_ctlcluster")).isEqualTo("ready");
    }
  }

  @Test
  void a_silent_server_that_is_installed_is_started() throws Exception {
    command("pg_ctlcluster", 0);
    assertThat(plan(closedPort(), "pg_ctlcluster")).isEqualTo("start");
  }

  @Test
  void with_nothing_installed_but_a_running_docker_the_tests_use_testcontainers() throws Exception {
    command("docker", 0);
    assertThat(plan(closedPort(), "pg_ctlcluster")).isEqualTo("testcontainers");
  }

  @Test
  void a_docker_client_without_an_engine_is_not_docker_and_nothing_is_missing_said_as_such()
      throws Exception {
    command("docker", 1); // `docker info` fails: no engine
    assertThat(plan(closedPort(), "rabbitmq-server")).isEqualTo("missing");
  }

  private String plan(int port, String starter) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                "/bin/bash",
                "-c",
                "source \"$0\"; service_plan \"$1\" \"$2\"",
                SERVICES.toAbsolutePath().toString(),
                Integer.toString(port),
                starter)
            .redirectErrorStream(true);
    builder.environment().put("PATH", bin.toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out.strip();
  }

  /** A stand-in for {@code name} on the isolated PATH that exits with {@code status}. */
  private void command(String name, int status) throws IOException {
    Path script = bin.resolve(name);
    Files.writeString(script, "#!/bin/sh\nexit " + status + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
