package io.retouch.testkit.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code stack down}: stops what {@code up} started, newest first (the workers and the API before
 * what they use), and keeps logs, data, {@code bootstrap.json} and the database.
 */
final class StackDown {

  private static final Duration GRACE = Duration.ofSeconds(30);

  private final StackDir dir;
  private final Components components;
  private final Say say;

  StackDown(StackDir dir, Components components, Say say) {
    this.dir = dir;
    this.components = components;
    this.say = say;
  }

  void run() throws InterruptedException {
    Map<String, ProcessHandle> signalled = new LinkedHashMap<>();
    for (String name : stopOrder()) {
      Optional<ProcessHandle> live = components.live(name);
      if (live.isPresent()) {
        say.line("stopping " + name + " (pid " + live.get().pid() + ")");
        live.get().destroy(); // SIGTERM: each app shuts down gracefully
        signalled.put(name, live.get());
      }
    }
    if (signalled.isEmpty()) {
      say.line("nothing of ours is running");
    }
    long deadline = System.nanoTime() + GRACE.toNanos();
    for (var entry : signalled.entrySet()) {
      while (components.live(entry.getKey()).isPresent()) {
        if (System.nanoTime() > deadline) {
          say.line(
              entry.getKey()
                  + " (pid "
                  + entry.getValue().pid()
                  + ") still runs after "
                  + GRACE.toSeconds()
                  + " s: killing it");
          entry.getValue().destroyForcibly();
          break;
        }
        Thread.sleep(200);
      }
    }
    for (String name : components.withPidFiles()) {
      components.forget(name);
    }
    try {
      Files.deleteIfExists(dir.stackJson());
      Files.deleteIfExists(dir.state());
      Files.deleteIfExists(dir.containers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!signalled.isEmpty()) {
      say.line(
          "down (kept: %s, %s, %s, the database)"
              .formatted(dir.show(dir.logs()), dir.show(dir.bootstrap()), dir.show(dir.s3())));
    }
  }

  /** The state's components in reverse start order, then any other pid file (a crashed up's). */
  List<String> stopOrder() {
    List<String> order =
        new ArrayList<>(
            StackState.load(dir.state())
                .map(StackState::components)
                .orElse(StackState.components(1, false))
                .reversed());
    for (String name : components.withPidFiles().reversed()) {
      if (!order.contains(name)) {
        order.addFirst(name);
      }
    }
    return order;
  }
}
