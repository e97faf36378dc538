package io.retouch.testkit.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The processes of one stack, found through their pid files: a pid counts only while its process
 * has this stack's marker for that component on its command line.
 */
final class Components {

  private final StackDir dir;

  Components(StackDir dir) {
    this.dir = dir;
  }

  /** The process {@code up} started as {@code component}, if it still runs. */
  Optional<ProcessHandle> live(String component) {
    Path file = dir.pidFile(component);
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(file).strip());
      if (!marked(pid, dir.marker(component))) {
        return Optional.empty();
      }
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  void remember(String component, long pid) {
    try {
      Files.writeString(dir.pidFile(component), pid + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void forget(String component) {
    try {
      Files.deleteIfExists(dir.pidFile(component));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every component a pid file names, whatever the state says (e.g. after a crashed up). */
  List<String> withPidFiles() {
    try (var files = Files.list(dir.pids())) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".pid"))
          .map(n -> n.substring(0, n.length() - ".pid".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static boolean marked(long pid, List<String> marker) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", "" + pid, "cmdline"));
      List<String> args = Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
      return args.containsAll(marker);
    } catch (IOException e) {
      return false;
    }
  }
}
