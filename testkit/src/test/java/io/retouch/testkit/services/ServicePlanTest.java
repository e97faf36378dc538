package io.retouch.testkit.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.testkit.services.ServicePlan.Decision;
import io.retouch.testkit.services.ServicePlan.Probes;
import io.retouch.testkit.services.ServicePlan.Server;
import io.retouch.testkit.services.ServicePlan.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one decision {@code scripts/stack up}, {@code scripts/test} and the benchmark make about
 * PostgreSQL and RabbitMQ. Docker cannot run here, so the Testcontainers branch is proven by the
 * decision and by the probes with stand-in commands on an isolated {@code PATH}.
 */
class ServicePlanTest {

  @TempDir Path bin;
  @TempDir Path etcPostgresql;

  @ParameterizedTest(name = "answers={0} canStart={1} docker={2} -> {3}")
  @CsvSource({
    "true,  true,  true,  USE",
    "true,  false, false, USE",
    "false, true,  true,  START",
    "false, true,  false, START",
    "false, false, true,  TESTCONTAINERS",
    "false, false, false, MISSING"
  })
  void the_decision_depends_only_on_the_three_facts(
      boolean answers, boolean canStart, boolean docker, Decision expected) {
    assertThat(ServicePlan.decide(answers, canStart, docker)).isEqualTo(expected);
  }

  @Test
  void a_server_that_answers_is_used() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(plan().decide(Server.postgres("127.0.0.1", listening.getLocalPort())))
          .isEqualTo(Decision.USE);
    }
  }

  @Test
  void a_silent_postgres_with_a_cluster_installed_is_started() throws Exception {
    command("pg_ctlcluster", 0);
    Files.createDirectory(etcPostgresql.resolve("16"));
    assertThat(plan().decide(Server.postgres("127.0.0.1", closedPort()))).isEqualTo(Decision.START);
  }

  @Test
  void pg_ctlcluster_without_a_cluster_cannot_start_anything() throws Exception {
    command("pg_ctlcluster", 0);
    assertThat(plan().decide(Server.postgres("127.0.0.1", closedPort())))
        .isEqualTo(Decision.MISSING);
  }

  @Test
  void with_nothing_installed_but_a_running_docker_containers_provide_it() throws Exception {
    command("docker", 0);
    assertThat(plan().decide(Server.rabbitmq("127.0.0.1", closedPort())))
        .isEqualTo(Decision.TESTCONTAINERS);
  }

  @Test
  void a_docker_client_without_an_engine_is_not_docker() throws Exception {
    command("docker", 1); // `docker info` fails: no engine
    assertThat(plan().decide(Server.rabbitmq("127.0.0.1", closedPort())))
        .isEqualTo(Decision.MISSING);
  }

  @Test
  void a_remote_server_that_does_not_answer_is_never_started_nor_replaced() throws Exception {
    command("rabbitmq-server", 0);
    command("docker", 0);
    assertThat(plan().decide(Server.rabbitmq("192.0.2.1", closedPort())))
        .isEqualTo(Decision.MISSING);
  }

  @Test
  void before_the_tests_a_missing_server_stops_them_with_one_line_saying_what_to_install()
      throws Exception {
    List<String> said = new ArrayList<>();
    int silent = closedPort();
    boolean ready =
        plan()
            .prepareForTests(
                List.of(new TestServer(Server.rabbitmq("127.0.0.1", silent), "RABBIT_URL")),
                Map.of(),
                said::add);

    assertThat(ready).isFalse();
    assertThat(said)
        .containsExactly(
            "RabbitMQ does not answer on 127.0.0.1:"
                + silent
                + " and cannot be started here: install RabbitMQ (Debian: apt install"
                + " rabbitmq-server) or Docker, or set RABBIT_URL");
  }

  @Test
  void before_the_tests_docker_means_the_tests_take_their_testcontainers_path() throws Exception {
    command("docker", 0);
    List<String> said = new ArrayList<>();
    boolean ready =
        plan()
            .prepareForTests(
                List.of(new TestServer(Server.postgres("127.0.0.1", closedPort()), "PG_URL")),
                Map.of(),
                said::add);

    assertThat(ready).isTrue();
    assertThat(said).singleElement().asString().contains("the tests start one with Testcontainers");
  }

  @Test
  void before_the_tests_a_server_given_by_its_variable_is_not_looked_for() throws Exception {
    List<String> said = new ArrayList<>();
    boolean ready =
        plan()
            .prepareForTests(
                List.of(new TestServer(Server.postgres("127.0.0.1", closedPort()), "PG_URL")),
                Map.of("PG_URL", "jdbc:postgresql://elsewhere/db"),
                said::add);

    assertThat(ready).isTrue();
    assertThat(said).isEmpty();
  }

  private ServicePlan plan() {
    return new ServicePlan(new Probes(bin.toString(), etcPostgresql));
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
