package io.retouch.testkit.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where one local stack lives: {@code <repo>/.run} unless {@code RETOUCH_STACK_DIR} says otherwise
 * (each directory is a separate stack). Its processes carry {@link #marker} on their command line,
 * so a recycled pid or another directory's process is never taken for one of ours.
 *
 * @param root the repository (the jars are built under it; messages print paths relative to it)
 * @param run the stack's directory, symbolic links resolved as far as it exists
 */
record StackDir(Path root, Path run) {

  /** {@code RETOUCH_STACK_DIR} relative to {@code cwd} (the caller's), else {@code root/.run}. */
  static StackDir of(Path root, Map<String, String> env, Path cwd) {
    String configured = env.getOrDefault("RETOUCH_STACK_DIR", "");
    Path run = configured.isEmpty() ? root.resolve(".run") : cwd.resolve(configured);
    return new StackDir(root, realPathLeniently(run.toAbsolutePath().normalize()));
  }

  Path logs() {
    return run.resolve("logs");
  }

  Path pids() {
    return run.resolve("pids");
  }

  Path pidFile(String component) {
    return pids().resolve(component + ".pid");
  }

  Path log(String component) {
    return logs().resolve(component + ".log");
  }

  /** What {@code up} remembers for {@code status} and the next {@code up}. */
  Path state() {
    return run.resolve("stack.env");
  }

  Path bootstrap() {
    return run.resolve("bootstrap.json");
  }

  Path stackJson() {
    return run.resolve("stack.json");
  }

  /** Where the {@code containers} component writes the containers' coordinates. */
  Path containers() {
    return run.resolve("containers.env");
  }

  Path jars() {
    return run.resolve("jars");
  }

  Path s3() {
    return run.resolve("s3");
  }

  /** The JVM options that mark {@code component} of this stack on its command line. */
  List<String> marker(String component) {
    return List.of(
        "-Dretouch.stack.component=" + component,
        "-Dretouch.stack.root=" + root,
        "-Dretouch.stack.dir=" + run);
  }

  /** A path as messages print it: relative to the repository when inside it. */
  String show(Path path) {
    return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
  }

  void create() {
    try {
      Files.createDirectories(logs());
      Files.createDirectories(pids());
      Files.createDirectories(s3());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Like {@code realpath -m}: the existing part of the path with its links resolved. */
  private static Path realPathLeniently(Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(path));
    } catch (IOException e) {
      return path;
    }
  }
}
