package io.retouch.testkit.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The jars a stack runs. They are run from a copy under {@code jars/} of the stack's directory: a
 * rebuild ({@code ./mvnw package}) rewrites {@code target/*.jar}, which would break JVMs still
 * loading classes from them.
 */
record Jars(Path api, Path worker, Path testkit) {

  private static final int TRIES = 10;
  private static final Duration SETTLED = Duration.ofSeconds(3);

  /** The jars as the build leaves them under {@code root}. */
  static Jars built(Path root) {
    return new Jars(
        root.resolve("api/target/retouch-api.jar"),
        root.resolve("worker/target/retouch-worker.jar"),
        root.resolve("testkit/target/retouch-testkit.jar"));
  }

  /** What is missing of the build's output, if anything. */
  List<Path> missing() {
    return Stream.of(api, worker, testkit, lib()).filter(p -> !Files.exists(p)).toList();
  }

  /** The testkit jar's dependencies, which its manifest's class path names. */
  private Path lib() {
    return testkit.resolveSibling("lib");
  }

  /**
   * Copies the jars to {@code dest} once they have not changed for a few seconds, and again when
   * they changed while being copied (a build is between its clean and its package).
   */
  Jars copyTo(Path dest, Say say) throws InterruptedException {
    Jars copy =
        new Jars(
            dest.resolve("retouch-api.jar"),
            dest.resolve("retouch-worker.jar"),
            dest.resolve("testkit/retouch-testkit.jar"));
    for (int attempt = 1; attempt <= TRIES; attempt++) {
      if (settled()) {
        String before = fingerprint();
        deleteRecursively(dest);
        if (tryCopy(copy) && fingerprint().equals(before)) {
          return copy;
        }
      }
      if (attempt == 1) {
        say.line("the jars are being rebuilt: waiting for the build to finish");
      }
      Thread.sleep(SETTLED.toMillis());
    }
    throw new StackException(
        "the jars under */target keep changing (a build is running?): try again later");
  }

  private boolean settled() {
    try {
      Instant newest = Instant.EPOCH;
      for (Path jar : List.of(api, worker, testkit)) {
        Instant modified = Files.getLastModifiedTime(jar).toInstant();
        newest = modified.isAfter(newest) ? modified : newest;
      }
      return Duration.between(newest, Instant.now()).compareTo(SETTLED) >= 0;
    } catch (IOException e) {
      return false; // a missing jar counts as changing now
    }
  }

  private boolean tryCopy(Jars copy) {
    try {
      Files.createDirectories(copy.testkit().getParent());
      Files.copy(api, copy.api(), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(worker, copy.worker(), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(testkit, copy.testkit(), StandardCopyOption.REPLACE_EXISTING);
      Files.createDirectories(copy.lib());
      for (Path jar : files(lib())) {
        Files.copy(jar, copy.lib().resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Name, size and modification time of every input jar. */
  private String fingerprint() {
    List<Path> all = new ArrayList<>(List.of(api, worker, testkit));
    all.addAll(files(lib()));
    StringBuilder text = new StringBuilder();
    for (Path jar : all) {
      try {
        text.append(jar)
            .append(' ')
            .append(Files.size(jar))
            .append(' ')
            .append(Files.getLastModifiedTime(jar))
            .append('\n');
      } catch (IOException e) {
        text.append(jar).append(" missing\n");
      }
    }
    return text.toString();
  }

  private static List<Path> files(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
