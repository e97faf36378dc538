package io.retouch.testkit.services;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The one place that decides what to do about PostgreSQL and RabbitMQ when a command needs them:
 * use the server that answers, start the local one that is installed but stopped, leave it to
 * Testcontainers when Docker runs, or say in one line what to install.
 *
 * <p>{@code scripts/stack up}, the benchmark and the tests' {@code TestServices} use it from the
 * testkit jar (containers come from {@code ServiceContainers}); {@code scripts/test} runs this file
 * as a single-file program ({@code java ServicePlan.java test}) before Maven has built anything,
 * which is why it uses nothing but the JDK.
 */
public final class ServicePlan {

  /** What to do about one server. */
  public enum Decision {
    /** It answers: use it. */
    USE,
    /** It does not answer but is installed here: start it. */
    START,
    /** Neither, but Docker runs: a container (Testcontainers) provides it. */
    TESTCONTAINERS,
    /** None of these: say what to install. */
    MISSING
  }

  /**
   * A server a command needs.
   *
   * @param starter the command that starts the local one, whose presence means "installed here"
   * @param install what to install when there is no way to get one, as the one line says it
   */
  public record Server(String name, String host, int port, String starter, String install) {

    public static Server postgres(String host, int port) {
      return new Server(
          "PostgreSQL", host, port, "pg_ctlcluster", "PostgreSQL (Debian: apt install postgresql)");
    }

    public static Server rabbitmq(String host, int port) {
      return new Server(
          "RabbitMQ",
          host,
          port,
          "rabbitmq-server",
          "RabbitMQ (Debian: apt install rabbitmq-server)");
    }

    /** The one line for {@link Decision#MISSING}; {@code configure} names the setting to use. */
    public String missing(String configure) {
      return "%s does not answer on %s:%d and cannot be started here: install %s or Docker, or %s"
          .formatted(name, host, port, install, configure);
    }

    /** Whether the server is on this machine, so that starting it here can help. */
    public boolean local() {
      return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }
  }

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Probes probes;
  private final BooleanSupplier dockerRuns;

  public ServicePlan(Probes probes) {
    this(probes, probes::dockerRuns);
  }

  /**
   * With another way to tell whether Docker runs: Testcontainers finds an engine without a {@code
   * docker} client too (DOCKER_HOST, Colima), and only callers that have it on the class path can
   * ask it; this file must run on the JDK alone.
   */
  public ServicePlan(Probes probes, BooleanSupplier dockerRuns) {
    this.probes = probes;
    this.dockerRuns = dockerRuns;
  }

  /** The decision, from the three facts it depends on; nothing else. */
  public static Decision decide(boolean answers, boolean canStartLocally, boolean dockerRuns) {
    if (answers) {
      return Decision.USE;
    }
    if (canStartLocally) {
      return Decision.START;
    }
    return dockerRuns ? Decision.TESTCONTAINERS : Decision.MISSING;
  }

  /** The decision for {@code server} on this machine (a remote server is only ever used). */
  public Decision decide(Server server) {
    boolean answers = probes.answers(server.host(), server.port());
    if (answers || !server.local()) {
      return answers ? Decision.USE : Decision.MISSING;
    }
    return decide(false, probes.canStart(server), dockerRuns.getAsBoolean());
  }

  /**
   * Starts the local {@code server} and waits until it answers.
   *
   * @throws IllegalStateException when it cannot be started or does not answer in time
   */
  public void start(Server server, Consumer<String> say) throws IOException, InterruptedException {
    List<String> command =
        switch (server.starter()) {
          case "pg_ctlcluster" -> {
            String version =
                probes
                    .postgresCluster()
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL cluster here"));
            say.accept(
                "%s does not answer on %s:%d: starting cluster %s/main"
                    .formatted(server.name(), server.host(), server.port(), version));
            yield List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start");
          }
          default -> {
            say.accept(
                "%s does not answer on %s:%d: starting it (%s -detached)"
                    .formatted(server.name(), server.host(), server.port(), server.starter()));
            yield List.of(server.starter(), "-detached");
          }
        };
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("could not start " + server.name());
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!probes.answers(server.host(), server.port())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "%s does not answer on %s:%d after %d s"
                .formatted(server.name(), server.host(), server.port(), START_TIMEOUT.toSeconds()));
      }
      Thread.sleep(1000);
    }
  }

  /**
   * What the machine offers, looked up on a given {@code PATH} (tests pass stand-in commands).
   *
   * @param path the directories to look for commands in, as in {@code PATH}
   * @param postgresConfig where Debian keeps the clusters' configuration ({@code /etc/postgresql})
   */
  public record Probes(String path, Path postgresConfig) {

    public static Probes ofThisMachine() {
      return new Probes(System.getenv().getOrDefault("PATH", ""), Path.of("/etc/postgresql"));
    }

    public boolean answers(String host, int port) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), 1000);
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    /** Installed here: its start command is on the path (and, for PostgreSQL, a cluster exists). */
    public boolean canStart(Server server) {
      return command(server.starter()).isPresent()
          && (!server.starter().equals("pg_ctlcluster") || postgresCluster().isPresent());
    }

    /** Whether Docker can run containers here: a {@code docker} client alone is not enough. */
    public boolean dockerRuns() {
      Optional<Path> docker = command("docker");
      if (docker.isEmpty()) {
        return false;
      }
      try {
        Process info =
            new ProcessBuilder(docker.get().toString(), "info")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!info.waitFor(20, TimeUnit.SECONDS)) {
          info.destroyForcibly();
          return false;
        }
        return info.exitValue() == 0;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    /** The newest PostgreSQL cluster version configured here. */
    Optional<String> postgresCluster() {
      try (Stream<Path> versions = Files.list(postgresConfig)) {
        return versions
            .map(p -> p.getFileName().toString())
            .filter(v -> v.matches("\\d+(\\.\\d+)?"))
            .max(Comparator.comparingDouble(Double::parseDouble));
      } catch (IOException e) {
        return Optional.empty();
      }
    }

    Optional<Path> command(String name) {
      return Arrays.stream(path.split(File.pathSeparator))
          .filter(dir -> !dir.isEmpty())
          .map(dir -> Path.of(dir, name))
          .filter(Files::isExecutable)
          .findFirst();
    }
  }

  /** A server the tests need, and the variable that points them at one elsewhere instead. */
  public record TestServer(Server server, String urlVariable) {}

  /** The PostgreSQL the integration tests use unless told otherwise (see TestServices). */
  public static final TestServer TEST_POSTGRES =
      new TestServer(Server.postgres("127.0.0.1", 5432), "RETOUCH_TEST_POSTGRES_URL");

  /** The RabbitMQ the integration tests use unless told otherwise (see TestServices). */
  public static final TestServer TEST_RABBITMQ =
      new TestServer(Server.rabbitmq("127.0.0.1", 5672), "RETOUCH_TEST_RABBITMQ_URL");

  public static final List<TestServer> FOR_TESTS = List.of(TEST_POSTGRES, TEST_RABBITMQ);

  /**
   * Before the tests ({@code scripts/test}, the benchmark): makes sure each server answers or will
   * be provided by Testcontainers; false, after one line saying what to install, when not. A server
   * whose variable is set is left to the tests.
   */
  public boolean prepareForTests(
      List<TestServer> servers, Map<String, String> env, Consumer<String> say)
      throws IOException, InterruptedException {
    for (TestServer needed : servers) {
      if (!env.getOrDefault(needed.urlVariable(), "").isBlank()) {
        continue;
      }
      Server server = needed.server();
      switch (decide(server)) {
        case USE -> {}
        case START -> start(server, say);
        case TESTCONTAINERS ->
            say.accept(
                "%s does not answer on %s:%d: the tests start one with Testcontainers (Docker)"
                    .formatted(server.name(), server.host(), server.port()));
        case MISSING -> {
          say.accept(server.missing("set " + needed.urlVariable()));
          return false;
        }
      }
    }
    return true;
  }

  /** {@code java ServicePlan.java test}: {@link #prepareForTests}, exit status 1 when missing. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !args[0].equals("test")) {
      System.err.println("usage: java ServicePlan.java test");
      System.exit(2);
    }
    boolean ready =
        new ServicePlan(Probes.ofThisMachine())
            .prepareForTests(
                FOR_TESTS, System.getenv(), line -> System.err.println("test: " + line));
    System.exit(ready ? 0 : 1);
  }
}
