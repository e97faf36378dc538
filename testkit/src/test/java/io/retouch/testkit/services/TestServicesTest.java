package io.retouch.testkit.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test services resolver: a database and a queue prefix per JVM, both removed at exit. The
 * removal is seen from outside, by running a second JVM to its end.
 */
class TestServicesTest {

  private final TestServices services = TestServices.get();

  @Test
  void the_run_has_its_own_database_that_accepts_queries() throws SQLException {
    try (Connection connection = connect(services.postgres());
        var statement = connection.createStatement()) {
      statement.execute("CREATE TEMPORARY TABLE probe (id int)");
      statement.execute("INSERT INTO probe VALUES (1)");
      ResultSet rows = statement.executeQuery("SELECT current_database(), count(*) FROM probe");
      rows.next();
      assertThat(rows.getString(1)).isEqualTo("retouch_test_" + services.runId());
      assertThat(rows.getInt(2)).isOne();
    }
  }

  @Test
  void the_queue_prefix_belongs_to_the_run_and_reaches_the_apps() {
    String prefix = services.rabbit().prefix();

    assertThat(prefix).isEqualTo("rt-test-" + services.runId());
    assertThat(services.runId()).matches("[0-9a-f]{8}");
    assertThat(services.springProperties()).containsEntry("retouch.amqp.prefix", prefix);
    assertThat(services.environment()).containsEntry("RETOUCH_AMQP_PREFIX", prefix);
  }

  @Test
  void another_run_gets_another_database_and_prefix_and_drops_its_database_at_exit(
      @TempDir Path dir) throws Exception {
    Path output = dir.resolve("run.out");
    Process run =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OneRun.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean exited = run.waitFor(2, TimeUnit.MINUTES);
    if (!exited) {
      run.destroyForcibly();
    }
    Map<String, String> printed = printed(output);

    assertThat(exited).as("the other run exits").isTrue();
    assertThat(run.exitValue()).as(printed.toString()).isZero();
    assertThat(printed.get("prefix"))
        .startsWith("rt-test-")
        .isNotEqualTo(services.rabbit().prefix());
    assertThat(printed.get("database"))
        .startsWith("retouch_test_")
        .isNotEqualTo("retouch_test_" + services.runId());
    // beforeCleanup actions run while the database is still there
    assertThat(printed.get("before-cleanup")).isEqualTo("database answers");
    assertThat(databaseExists(printed.get("database"))).isFalse();
  }

  /** {@code key=value} lines the other run printed; other output (logs) is ignored. */
  private static Map<String, String> printed(Path output) throws IOException {
    return Files.readAllLines(output).stream()
        .filter(line -> line.matches("[a-z-]+=.*"))
        .collect(
            Collectors.toMap(
                line -> line.substring(0, line.indexOf('=')),
                line -> line.substring(line.indexOf('=') + 1)));
  }

  private boolean databaseExists(String name) throws SQLException {
    try (Connection connection = connect(services.postgres());
        PreparedStatement query =
            connection.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
      query.setString(1, name);
      ResultSet rows = query.executeQuery();
      rows.next();
      return rows.getInt(1) > 0;
    }
  }

  private static Connection connect(PostgresService postgres) throws SQLException {
    return DriverManager.getConnection(
        postgres.jdbcUrl(), postgres.username(), postgres.password());
  }

  /** A whole test run in a JVM of its own: resolves the services, prints them, exits. */
  public static final class OneRun {
    public static void main(String[] args) {
      TestServices services = TestServices.get();
      services.beforeCleanup(
          () -> {
            try (Connection connection = connect(services.postgres());
                var statement = connection.createStatement()) {
              statement.executeQuery("SELECT 1");
              System.out.println("before-cleanup=database answers");
            } catch (SQLException e) {
              System.out.println("before-cleanup=" + e.getMessage());
            }
          });
      System.out.println("database=retouch_test_" + services.runId());
      System.out.println("prefix=" + services.rabbit().prefix());
    }
  }
}
