package io.retouch.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One packaged application ({@code java -jar}) running as a real process, logging to a file: the
 * end-to-end tests' and the benchmark's way of starting Retouch's jars and the testkit's servers.
 */
public final class AppProcess implements AutoCloseable {

  /**
   * How to start processes: which {@code java}, with which JVM options, logging where.
   *
   * @param java the {@code java} binary (the tests pass the JDK that builds them)
   */
  public record Launch(Path java, List<String> jvmOptions, Path logDir) {
    public Launch {
      jvmOptions = List.copyOf(jvmOptions);
      try {
        Files.createDirectories(logDir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
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
    command.add(launch.java().toString());
    command.addAll(launch.jvmOptions());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().putAll(env);
    try {
      return new AppProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
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
    try {
      var matcher =
          java.util.regex.Pattern.compile("Tomcat started on port (\\d+)")
              .matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (!matcher.find()) {
        throw new IllegalStateException(name + " logged no port:\n" + tail(log));
      }
      return Integer.parseInt(matcher.group(1));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
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
