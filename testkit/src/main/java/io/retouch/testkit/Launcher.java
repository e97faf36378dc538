package io.retouch.testkit;

import io.retouch.testkit.bench.Bench;
import io.retouch.testkit.openai.FakeOpenAi;
import io.retouch.testkit.process.RetouchApps;
import io.retouch.testkit.s3.LocalS3;
import io.retouch.testkit.services.ServiceContainers;
import io.retouch.testkit.services.ServiceContainers.Kind;
import io.retouch.testkit.services.ServicePlan;
import io.retouch.testkit.stack.StackCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Runs a testkit server from the command line until the process is killed:
 *
 * <pre>
 * java -jar retouch-testkit.jar fake-openai --port P [--latency-ms N]
 * java -jar retouch-testkit.jar s3 --port P --dir D
 * java -jar retouch-testkit.jar bench [--quick] [--trace] [--out FILE] [--dir DIR]
 * java -jar retouch-testkit.jar stack up|down|status
 * java -jar retouch-testkit.jar containers --servers postgres[,rabbitmq] --out FILE
 * </pre>
 *
 * <p>Each prints one line saying where it listens. Bad arguments print the usage on stderr and exit
 * with status 2.
 */
public final class Launcher {

  static final String USAGE =
      """
      usage: java -jar retouch-testkit.jar <command> [options]
        fake-openai --port P [--latency-ms N]   fake OpenAI image edits on http://127.0.0.1:P/v1
        s3 --port P --dir D                      local S3 over directory D on http://127.0.0.1:P
        bench [--quick] [--trace] [--out FILE]   the benchmark (scripts/bench), then exits
        stack up|down|status                     the local stack (scripts/stack), then exits
        containers --servers postgres,rabbitmq --out FILE
                                                 those servers in containers (Testcontainers),
                                                 their Spring settings in FILE, until stopped
      (port 0 picks a free port)""";

  /** Set before any logger exists; a library jar must not ship a plain logback.xml. */
  private static final String LOGBACK_CONFIG = "retouch-testkit-logback.xml";

  private Launcher() {}

  /** Starts the requested server and blocks until the JVM is shut down. */
  public static void main(String[] args) throws Exception {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
    }
    String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
    if (args.length > 0 && args[0].equals("bench")) {
      // the benchmark's own database and queues come from TestServices: the servers must be there
      if (!ServiceContainers.planOnThisMachine()
          .prepareForTests(
              ServicePlan.FOR_TESTS,
              System.getenv(),
              line -> System.err.println("bench: " + line))) {
        System.exit(1);
      }
      Bench.main(rest);
      return;
    }
    if (args.length > 0 && args[0].equals("stack")) {
      System.exit(StackCommand.run(rest, System.getenv(), System.out, System.err));
    }
    AutoCloseable server;
    try {
      server = launch(args, System.out);
    } catch (UsageException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server)));
    new CountDownLatch(1).await();
  }

  /**
   * Starts the server {@code args} ask for and prints where it listens to {@code out}.
   *
   * @throws UsageException when the command or its options are wrong
   */
  static AutoCloseable launch(String[] args, PrintStream out) {
    return launch(args, out, ServiceContainers.TESTCONTAINERS);
  }

  /** As {@link #launch(String[], PrintStream)}, with {@code engine} starting any containers. */
  static AutoCloseable launch(String[] args, PrintStream out, ServiceContainers.Engine engine) {
    if (args.length == 0) {
      throw new UsageException("missing command");
    }
    Map<String, String> options = options(List.of(args).subList(1, args.length));
    return switch (args[0]) {
      case "fake-openai" -> {
        allowOnly(options, Set.of("--port", "--latency-ms"));
        FakeOpenAi fake = FakeOpenAi.start(port(options));
        if (options.containsKey("--latency-ms")) {
          fake.setLatency(Duration.ofMillis(number(options, "--latency-ms")));
        }
        out.println("fake OpenAI listening on " + fake.baseUrl());
        yield fake;
      }
      case "s3" -> {
        allowOnly(options, Set.of("--port", "--dir"));
        String dir = required(options, "--dir");
        LocalS3 s3 = LocalS3.start(port(options), Path.of(dir));
        out.println("local S3 listening on " + s3.endpoint() + " (dir " + s3.dir() + ")");
        yield s3;
      }
      case "containers" -> {
        allowOnly(options, Set.of("--servers", "--out"));
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (String server : required(options, "--servers").split(",")) {
          try {
            kinds.add(Kind.of(server.strip()));
          } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
          }
        }
        Path coordinates = Path.of(required(options, "--out"));
        ServiceContainers containers = ServiceContainers.start(kinds, engine);
        ServiceContainers.write(containers.environment(), coordinates);
        out.println(
            "%s %s (settings in %s)"
                .formatted(
                    RetouchApps.CONTAINERS_READY,
                    kinds.stream().map(Kind::option).collect(Collectors.joining(", ")),
                    coordinates));
        yield containers;
      }
      default -> throw new UsageException("unknown command: " + args[0]);
    };
  }

  private static Map<String, String> options(List<String> args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.size(); i += 2) {
      String name = args.get(i);
      if (!name.startsWith("--") || i + 1 >= args.size()) {
        throw new UsageException("expected --option value pairs, got: " + String.join(" ", args));
      }
      options.put(name, args.get(i + 1));
    }
    return options;
  }

  private static void allowOnly(Map<String, String> options, Set<String> allowed) {
    for (String name : options.keySet()) {
      if (!allowed.contains(name)) {
        throw new UsageException("unknown option: " + name);
      }
    }
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new UsageException("missing " + name);
    }
    return value;
  }

  private static int port(Map<String, String> options) {
    long port = number(options, "--port");
    if (port > 65535) {
      throw new UsageException("--port must be between 0 and 65535");
    }
    return (int) port;
  }

  private static long number(Map<String, String> options, String name) {
    String value = required(options, name);
    try {
      long number = Long.parseLong(value);
      if (number < 0) {
        throw new UsageException(name + " must not be negative");
      }
      return number;
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be a number, got: " + value);
    }
  }

  private static void closeQuietly(AutoCloseable server) {
    try {
      server.close();
    } catch (Exception e) {
      System.err.println("error while stopping: " + e);
    }
  }

  /** The command line is wrong; the message says how. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
