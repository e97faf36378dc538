package io.retouch.testkit.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A directory of Node.js code the tests run against Retouch (another SDK driving the fake OpenAI, a
 * webhook receiver on the public {@code standardwebhooks} library): its {@code package-lock.json}
 * is installed with {@code npm ci} on first use, and its scripts run with {@code node}.
 */
public final class NodeProject {

  private final Path dir;

  private NodeProject(Path dir) {
    this.dir = dir;
  }

  /**
   * @param dir holds {@code package.json} and {@code package-lock.json}
   * @param marker a module that shows the install is done ({@code node_modules/<marker>})
   */
  public static NodeProject installed(Path dir, String marker) {
    NodeProject project = new NodeProject(dir);
    if (!Files.isDirectory(dir.resolve("node_modules").resolve(marker))) {
      project.run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
    }
    return project;
  }

  public Path dir() {
    return dir;
  }

  /** Runs a command here to its end; its output, or a failure that shows it. */
  public String run(List<String> command, int seconds) {
    Process process = start(command);
    var reading =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " took over " + seconds + "s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException(e);
    }
    String output = reading.join();
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
    return output;
  }

  /** Starts a command here and leaves it running; stderr goes with stdout. */
  public Process start(List<String> command) {
    try {
      return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          command.getFirst() + " is not installed: this test needs Node.js 18+ with npm", e);
    }
  }
}
