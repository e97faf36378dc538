package io.retouch.testkit.stack;

import io.retouch.testkit.process.AppProcess;
import io.retouch.testkit.process.AppProcess.Launch;
import io.retouch.testkit.process.RetouchApps;
import io.retouch.testkit.process.RetouchApps.Installation;
import io.retouch.testkit.process.RetouchApps.Listening;
import io.retouch.testkit.services.ServiceContainers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code stack up}: starts what is missing (idempotent: a stack that is up is left alone, half a
 * stack is restarted), bootstraps once and writes {@code stack.json}. A failed {@code up} stops
 * what it started rather than leaving half a stack behind.
 */
final class StackUp {

  private static final String BANNER =
      """

        ############################################################################
        ##                                                                        ##
        ##   NO OPENAI_API_KEY SET: USING THE FAKE OPENAI (testkit)               ##
        ##   Edited images are SYNTHETIC test pictures, not real AI edits.        ##
        ##   For real edits: ./scripts/stack down, export OPENAI_API_KEY=...,     ##
        ##   then ./scripts/stack up again.                                       ##
        ##                                                                        ##
        ############################################################################
      """;

  private static final Pattern INEQUIVALENT_QUEUE =
      Pattern.compile("inequivalent arg '[^']*' for queue '([^']*)'");

  private final StackDir dir;
  private final Components components;
  private final Map<String, String> env;
  private final Say say;
  private final PrintStream err;
  private final StackServices services;
  private final Runnable status;
  private final Down down;

  /** How {@code up} stops a partial stack. */
  interface Down {
    void run() throws InterruptedException;
  }

  StackUp(
      StackDir dir,
      Components components,
      Map<String, String> env,
      Say say,
      StackServices services,
      Runnable status,
      Down down) {
    this.dir = dir;
    this.components = components;
    this.env = env;
    this.say = say;
    this.err = say.err();
    this.services = services;
    this.status = status;
    this.down = down;
  }

  /** Exit status: 0 when the stack is up. */
  int run() throws InterruptedException {
    Optional<StackState> current = StackState.load(dir.state());
    if (current.isPresent() && isUp(current.get())) {
      say.line("already up");
      if (current.get().fakeOpenAiPort().isPresent()) {
        err.println(BANNER);
        if (!env.getOrDefault("OPENAI_API_KEY", "").isEmpty()) {
          say.line(
              "note: OPENAI_API_KEY is set now, but the running stack uses the fake OpenAI; run down and up to use it");
        }
      }
      status.run();
      return 0;
    }
    if (StackState.components(workers(), true).stream()
        .anyMatch(name -> components.live(name).isPresent())) {
      say.line("the stack is only partly up: restarting it");
      down.run();
    }
    try {
      start();
      return 0;
    } catch (IOException | RuntimeException e) {
      say.error(e instanceof StackException ? e.getMessage() : e.toString());
      say.line("up failed: stopping what it started (logs stay in " + dir.show(dir.logs()) + ")");
      down.run();
      return 1;
    }
  }

  private void start() throws IOException, InterruptedException {
    say.line(
        "using JDK %d at %s"
            .formatted(Runtime.version().feature(), System.getProperty("java.home")));
    Jars built = Jars.built(dir.root());
    if (!built.missing().isEmpty()) {
      throw new StackException("missing " + built.missing() + ": build first (./mvnw package)");
    }
    StackPlan plan = StackPlan.of(services.prepare(env), env);
    dir.create();
    Jars jars = built.copyTo(dir.jars(), say);
    Launch launch = new Launch(AppProcess.Launch.currentJava(), List.of(), dir.logs(), true);

    Map<String, String> containerEnv = Map.of();
    if (!plan.containers().isEmpty()) {
      say.line(
          "no local %s to use or start, but Docker runs: starting the images of docker-compose.yml with Testcontainers (the first time pulls them; the data goes at down)"
              .formatted(plan.servers(" and ")));
      started(
          StackState.CONTAINERS,
          () ->
              RetouchApps.containers(
                  small(launch, StackState.CONTAINERS),
                  jars.testkit(),
                  plan.containersCommand(dir.containers())),
          "the containers did not start (log: " + dir.show(dir.log(StackState.CONTAINERS)) + ")");
      containerEnv = ServiceContainers.read(dir.containers());
      say.line("containers up: " + containerSummary(containerEnv));
    }

    OptionalInt s3Port = OptionalInt.empty();
    String s3Endpoint = env.getOrDefault("RETOUCH_STORAGE_ENDPOINT", "");
    if (plan.localS3()) {
      say.line(
          "RETOUCH_STORAGE_ENDPOINT is unset: starting the local S3 (testkit) over "
              + dir.show(dir.s3()));
      Listening s3 =
          started(
              StackState.S3,
              () -> RetouchApps.localS3(small(launch, StackState.S3), jars.testkit(), dir.s3()),
              "the local S3 did not start");
      s3Port = OptionalInt.of(s3.port());
      s3Endpoint = "http://127.0.0.1:" + s3.port();
      say.line("local S3 on " + s3Endpoint);
    } else {
      say.line("using the S3 at " + s3Endpoint);
    }

    OptionalInt fakePort = OptionalInt.empty();
    String openAiUrl;
    if (plan.fakeOpenAi()) {
      Optional<Duration> latency =
          Optional.ofNullable(env.get("RETOUCH_FAKE_OPENAI_LATENCY_MS"))
              .filter(v -> !v.isBlank())
              .map(v -> Duration.ofMillis(Long.parseLong(v.strip())));
      Listening fake =
          started(
              StackState.FAKE_OPENAI,
              () ->
                  RetouchApps.fakeOpenAi(
                      small(launch, StackState.FAKE_OPENAI), jars.testkit(), latency),
              "the fake OpenAI did not start");
      fakePort = OptionalInt.of(fake.port());
      openAiUrl = "http://127.0.0.1:" + fake.port() + "/v1";
      err.println(BANNER);
    } else {
      openAiUrl = env.getOrDefault("OPENAI_BASE_URL", "https://api.openai.com/v1");
      say.line("using OpenAI at " + openAiUrl);
    }
    Map<String, String> appEnv = plan.appEnvironment(containerEnv, s3Port, fakePort);

    int wanted = Integer.parseInt(env.getOrDefault("RETOUCH_API_PORT", "8080").strip());
    Ports.Choice port = Ports.apiPort(wanted);
    if (port.taken()) {
      say.line(
          "port %d is taken: the API uses port %d instead (set RETOUCH_API_PORT to choose)"
              .formatted(wanted, port.port()));
    }
    String apiUrl = "http://127.0.0.1:" + port.port();
    int workers = plan.workers();
    new StackState(
            port.port(), apiUrl, s3Endpoint, s3Port, openAiUrl, fakePort, workers, containerEnv)
        .save(dir.state());
    say.line(
        "starting the API on port %d and %s"
            .formatted(port.port(), workers == 1 ? "one worker" : workers + " workers"));
    started(
        StackState.API,
        () ->
            RetouchApps.api(marked(launch, StackState.API), "api", jars.api(), appEnv, port.port()),
        "the API did not become healthy (log: " + dir.show(dir.log(StackState.API)) + ")");
    // (after the API: both would otherwise race Flyway on a fresh database). The bootstrap, a
    // JVM of its own, runs meanwhile: on a busy machine each start takes a minute or more.
    Tenant tenant = new Tenant(dir, say);
    Installation installation;
    try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> workersUp = background.submit(() -> startWorkers(launch, jars, appEnv, workers));
      installation = tenant.ensure(apiUrl, launch, jars.api(), appEnv);
      awaitStarted(workersUp);
    }
    say.line(
        "API healthy at %s, %s started".formatted(apiUrl, workers == 1 ? "worker" : "workers"));
    tenant.writeStackJson(installation, apiUrl, s3Endpoint, openAiUrl, containerEnv);
    say.line("up: API %s, settings in %s".formatted(apiUrl, dir.show(dir.stackJson())));
    status.run();
  }

  private void startWorkers(Launch launch, Jars jars, Map<String, String> appEnv, int workers) {
    for (int i = 1; i <= workers; i++) {
      String name = StackState.worker(i);
      // RETOUCH_WORKER_PORT: the first worker's management port; any free one by default
      int managementPort =
          i == 1 ? Integer.parseInt(env.getOrDefault("RETOUCH_WORKER_PORT", "0").strip()) : 0;
      started(
          name,
          () ->
              RetouchApps.worker(marked(launch, name), name, jars.worker(), appEnv, managementPort),
          "the worker did not start (log: " + dir.show(dir.log(name)) + ")");
    }
  }

  private static void awaitStarted(Future<?> started) throws InterruptedException {
    try {
      started.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  /** Whether every component of the last {@code up} runs and the API is healthy. */
  private boolean isUp(StackState state) {
    if (state.apiUrl().isEmpty()
        || !Files.isRegularFile(dir.bootstrap())
        || !Files.isRegularFile(dir.stackJson())) {
      return false;
    }
    for (String name : state.components()) {
      boolean needed =
          switch (name) {
            case StackState.S3 -> state.s3Port().isPresent();
            case StackState.FAKE_OPENAI -> state.fakeOpenAiPort().isPresent();
            default -> true;
          };
      if (needed && components.live(name).isEmpty()) {
        return false;
      }
    }
    return RetouchApps.healthy(state.apiUrl());
  }

  /** The containers' addresses, without their passwords. */
  private static String containerSummary(Map<String, String> containerEnv) {
    return containerEnv.entrySet().stream()
        .filter(e -> !e.getKey().endsWith("PASSWORD"))
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  private int workers() {
    return Integer.parseInt(env.getOrDefault("RETOUCH_STACK_WORKERS", "1").strip());
  }

  private interface Start<T> {
    T start();
  }

  /**
   * Starts {@code name} and remembers its pid at once (so a failure later stops it too); a start
   * that fails says why, with the log's tail and a hint when the cause is outside the code.
   */
  private <T> T started(String name, Start<T> start, String failure) {
    try {
      T started = start.start();
      AppProcess process = started instanceof Listening l ? l.process() : (AppProcess) started;
      components.remember(name, process.pid());
      return started;
    } catch (IllegalStateException e) {
      // (the process that did not get ready is killed already)
      err.println(e.getMessage());
      hint(name);
      throw new StackException(failure);
    }
  }

  /** The launch of {@code name}: its marker on the command line. */
  private Launch marked(Launch launch, String name) {
    return launch.withJvmOptions(dir.marker(name));
  }

  /** The testkit's servers need little memory; the JVM's default would be a quarter of the RAM. */
  private Launch small(Launch launch, String name) {
    return marked(launch, name).withJvmOptions(List.of("-Xmx256m"));
  }

  /** Hints for start failures whose cause is outside the code. */
  private void hint(String name) {
    try {
      Matcher queue = INEQUIVALENT_QUEUE.matcher(Files.readString(dir.log(name)));
      if (queue.find()) {
        say.line(
            "hint: RabbitMQ already has queue '%s' declared with other arguments (by an older build?)."
                .formatted(queue.group(1)));
        say.line(
            "      Look at it with: rabbitmqctl list_queues name arguments messages consumers");
        say.line(
            "      If it holds nothing you need: rabbitmqctl delete_queue '%s' (it is declared again at start)"
                .formatted(queue.group(1)));
      }
    } catch (IOException e) {
      // no log, no hint
    }
  }
}
