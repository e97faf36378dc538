package io.retouch.e2e;

import io.retouch.common.messaging.Topology;
import io.retouch.testkit.services.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@code scripts/stack} and {@code scripts/demo} of this checkout, run as a user runs them but on a
 * stack of their own: a temporary stack directory and output directory, a database and a queue
 * prefix of their own (not this JVM's, which the other end-to-end tests' processes use) and any
 * free API port, so they never meet a developer's stack or the other tests. {@link #close} stops
 * the stack and removes the database and the queues.
 */
final class LocalStackScripts implements AutoCloseable {

  /** What a script printed (stdout and stderr together) and how it ended; -1 when it timed out. */
  record Result(int exitCode, String output) {}

  private final Path repo;
  private final Path work;
  private final Path stackDir;
  private final Path outDir;
  private final String database;
  private final String prefix;
  private final Map<String, String> env;
  private final AtomicBoolean closed = new AtomicBoolean();
  private int runs;

  private LocalStackScripts(Path repo, Path work) {
    this.repo = repo;
    this.work = work;
    stackDir = work.resolve("run");
    outDir = work.resolve("out");
    var services = TestServices.get();
    String jdbcUrl = services.postgres().jdbcUrl();
    database = jdbcUrl.replaceFirst("^jdbc:postgresql://[^/]+/([^?]+).*$", "$1") + "_scripts";
    prefix = services.rabbit().prefix() + "-scripts";
    env = new LinkedHashMap<>(services.environment());
    env.put(
        "SPRING_DATASOURCE_URL",
        jdbcUrl.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]+", "$1" + database));
    env.put("RETOUCH_AMQP_PREFIX", prefix);
    env.put("RETOUCH_API_PORT", "0");
    env.put("RETOUCH_STACK_DIR", stackDir.toString());
    env.put("DEMO_OUT", outDir.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
  }

  /** A fresh, isolated stack; fails at once when the jars the scripts run are not built. */
  /** Sets a variable of the scripts' environment, replacing the isolated default. */
  LocalStackScripts env(String name, String value) {
    env.put(name, value);
    return this;
  }

  static LocalStackScripts isolated() {
    Path repo = Path.of(System.getProperty("retouch.e2e.repo", "..")).toAbsolutePath().normalize();
    for (String jar :
        List.of(
            "api/target/retouch-api.jar",
            "worker/target/retouch-worker.jar",
            "testkit/target/retouch-testkit.jar",
            "testkit/target/lib")) {
      // scripts/stack would otherwise start a Maven build of its own inside this one
      if (!Files.exists(repo.resolve(jar))) {
        throw new IllegalStateException(
            repo.resolve(jar) + " is missing; build it first (./mvnw verify builds it)");
      }
    }
    try {
      // real path: the scripts resolve the directory the same way, and mark processes with it
      Path work = Files.createTempDirectory("retouch-scripts-e2e").toRealPath();
      LocalStackScripts scripts = new LocalStackScripts(repo, work);
      TestServices.get().beforeCleanup(scripts::close);
      return scripts;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path stackDir() {
    return stackDir;
  }

  Path outDir() {
    return outDir;
  }

  /** Runs {@code scripts/<script> args…} with bash and this stack's environment. */
  Result run(Duration timeout, String script, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/" + script));
    command.addAll(List.of(args));
    Path output = work.resolve("%02d-%s.out".formatted(++runs, script));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(repo.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    // Nothing of the caller's own stack settings may leak in: no OpenAI key or S3 endpoint, so
    // that the scripts start the fake OpenAI and the local S3.
    builder
        .environment()
        .keySet()
        .removeIf(
            name ->
                Stream.of("RETOUCH_", "OPENAI_", "SPRING_", "DEMO_", "AWS_")
                    .anyMatch(name::startsWith));
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      int exitCode = -1;
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        exitCode = process.exitValue();
      } else {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String printed = Files.readString(output, StandardCharsets.UTF_8);
      return new Result(
          exitCode, exitCode < 0 ? printed + "\n(killed after " + timeout + ")" : printed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Processes still running with this stack's marker on their command line ({@code
   * -Dretouch.stack.dir=…}), whatever the pid files say.
   */
  List<Long> leftoverProcesses() {
    String marker = "-Dretouch.stack.dir=" + stackDir + "\0";
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
      for (Path entry : proc.toList()) {
        String name = entry.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String commandLine =
              new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8);
          if (commandLine.contains(marker)) {
            pids.add(Long.parseLong(name));
          }
        } catch (IOException e) {
          // the process ended while we looked
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pids;
  }

  /** The scripts' output and the tail of every log of the stack, for a failure message. */
  String diagnostics(Result result) {
    StringBuilder text = new StringBuilder();
    text.append("exit code ")
        .append(result.exitCode())
        .append(", output:\n")
        .append(tail(result.output(), 120));
    try (Stream<Path> logs = Files.list(stackDir.resolve("logs"))) {
      for (Path log : logs.sorted().toList()) {
        text.append("\n--- ")
            .append(log.getFileName())
            .append(" (last lines)\n")
            .append(tail(Files.readString(log, StandardCharsets.UTF_8), 40));
      }
    } catch (IOException e) {
      text.append("\n(no stack logs: ").append(e).append(')');
    }
    return text.toString();
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * Stops the stack (kills what {@code stack down} left), keeps its logs under {@code
   * target/e2e-logs/scripts}, drops the database, deletes the queues and exchanges and the
   * temporary directory. Safe to call twice.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Files.isDirectory(stackDir.resolve("pids"))) {
      run(Duration.ofMinutes(2), "stack", "down");
    }
    for (long pid : leftoverProcesses()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    keepLogs();
    dropDatabase();
    deleteTopology();
    deleteRecursively(work);
  }

  private void keepLogs() {
    Path target = Processes.LAUNCH.logDir().resolve("scripts");
    try (Stream<Path> files = Files.list(work)) {
      Files.createDirectories(target);
      // the scripts' outputs (NN-script.out) and the stack's logs
      List<Path> keep = new ArrayList<>(files.filter(f -> f.toString().endsWith(".out")).toList());
      Path logs = stackDir.resolve("logs");
      if (Files.isDirectory(logs)) {
        try (Stream<Path> logFiles = Files.list(logs)) {
          keep.addAll(logFiles.toList());
        }
      }
      for (Path file : keep) {
        Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      System.err.println("could not keep the scripts' logs: " + e);
    }
  }

  private void dropDatabase() {
    var pg = TestServices.get().postgres();
    try (var connection = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
        var statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("could not drop database " + database + ": " + e.getMessage());
    }
  }

  private void deleteTopology() {
    Topology topology = new Topology(prefix);
    try (var connection =
            TestServices.get().rabbit().connectionFactory().newConnection("scripts-cleanup");
        var channel = connection.createChannel()) {
      for (String queue : topology.queues()) {
        channel.queueDelete(queue);
      }
      for (String exchange : topology.exchanges()) {
        channel.exchangeDelete(exchange);
      }
    } catch (IOException | TimeoutException e) {
      System.err.println("could not delete the queues of " + prefix + ": " + e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
