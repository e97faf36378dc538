package io.retouch.testkit.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * One packaged application ({@code java -jar}) running as a real process, logging to a file: the
 * end-to-end tests' and the benchmark's way of starting Retouch's jars and the testkit's servers.
 */
public final class AppProcess implements AutoCloseable {

  /** What a Spring Boot app logs when its HTTP port is open. */
  public static final Pattern TOMCAT_PORT = Pattern.compile("Tomcat started on port (\\d+)");

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  /**
   * How to start processes: which {@code java}, with which JVM options, logging where.
   *
   * @param java the {@code java} binary (the tests pass the JDK that builds them)
   * @param detached start each process in a session of its own, with no input: it outlives the
   *     starting JVM and a ^C or a closed terminal of the caller never reaches it ({@code
   *     scripts/stack up})
   */
  public record Launch(Path java, List<String> jvmOptions, Path logDir, boolean detached) {
    public Launch {
      jvmOptions = List.copyOf(jvmOptions);
      try {
        Files.createDirectories(logDir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Processes that are children of this JVM (the tests' and the benchmark's). */
    public Launch(Path java, List<String> jvmOptions, Path logDir) {
      this(java, jvmOptions, logDir, false);
    }

    /** The same launch with {@code more} JVM options after its own. */
    public Launch withJvmOptions(List<String> more) {
      List<String> options = new ArrayList<>(jvmOptions);
      options.addAll(more);
      return new Launch(java, options, logDir, detached);
    }

    /** This JVM's own {@code java}. */
    public static Path currentJava() {
      return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    public AppProcess start(String name, Path jar, Map<String, String> env, String... args) {
      return AppProcess.start(this, name, jar, env, args);
    }

    /** Runs a command to completion and returns its stdout (stderr goes to the log). */
    public String run(String name, Path jar, Map<String, String> env, String... args) {
      return AppProcess.run(this, name, jar, env, args);
    }
  }

  private final String name;
  private final Process process;
  private final Path log;

  private AppProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  private static AppProcess start(
      Launch launch, String name, Path jar, Map<String, String> env, String... args) {
    Path log = launch.logDir().resolve(name + ".log");
    List<String> command = new ArrayList<>();
    if (launch.detached() && Files.isExecutable(SETSID)) {
      // not a process group leader, so setsid(1) execs java in place: the pid stays java's
      command.add(SETSID.toString());
    }
    command.add(launch.java().toString());
    command.addAll(launch.jvmOptions());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      startLog(log, name);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      if (launch.detached()) {
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      }
      return new AppProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** The previous run's log is kept as {@code NAME.log.prev}; the new one starts with a header. */
  private static void startLog(Path log, String name) throws IOException {
    if (Files.exists(log)) {
      Files.move(
          log,
          log.resolveSibling(log.getFileName() + ".prev"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(log, "=== " + name + " started at " + OffsetDateTime.now() + "\n");
  }

  private static String run(
      Launch launch, String name, Path jar, Map<String, String> env, String... args) {
    Path log = launch.logDir().resolve(name + ".log");
    List<String> command =
        new ArrayList<>(List.of(launch.java().toString(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(name + " failed; see " + log + "\n" + tail(log));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the condition holds, failing with the log's tail if the process dies first. */
  public void awaitReady(BooleanSupplier ready, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ":\n" + tail(log));
      }
      if (ready.getAsBoolean()) {
        return;
      }
      try {
        process.waitFor(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + tail(log));
  }

  public boolean logContains(String text) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** The port Tomcat logged it listens on (a worker's management port, say). */
  public int httpPort() {
    return loggedPort(log, TOMCAT_PORT)
        .orElseThrow(() -> new IllegalStateException(name + " logged no port:\n" + tail(log)));
  }

  /**
   * The last port a log says its process listens on, read with {@code pattern} (group 1), e.g.
   * {@link #TOMCAT_PORT}; also for processes another JVM started.
   */
  public static OptionalInt loggedPort(Path log, Pattern pattern) {
    try {
      var matcher = pattern.matcher(Files.readString(log, StandardCharsets.UTF_8));
      OptionalInt port = OptionalInt.empty();
      while (matcher.find()) {
        port = OptionalInt.of(Integer.parseInt(matcher.group(1)));
      }
      return port;
    } catch (IOException e) {
      return OptionalInt.empty();
    }
  }

  public long countInLog(String text) {
    try {
      String content = Files.readString(log, StandardCharsets.UTF_8);
      long count = 0;
      for (int i = content.indexOf(text); i >= 0; i = content.indexOf(text, i + 1)) {
        count++;
      }
      return count;
    } catch (IOException e) {
      return 0;
    }
  }

  /** SIGKILL: the process dies mid-whatever, as in a crash or an OOM kill. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM without waiting: the process shuts down gracefully on its own. */
  public void terminate() {
    process.destroy();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to exit and returns its exit code. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " did not exit within " + timeout);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String name() {
    return name;
  }

  /** The operating system's process id, e.g. for {@code /proc/<pid>/status}. */
  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** SIGTERM, then SIGKILL if it does not stop in time. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The last 40 lines of {@code log}, for failure messages. */
  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
