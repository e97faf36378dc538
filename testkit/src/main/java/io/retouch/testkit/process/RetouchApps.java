package io.retouch.testkit.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retouch.testkit.process.AppProcess.Launch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Starts each kind of Retouch process the same way for {@code scripts/stack}, the benchmark and the
 * end-to-end tests: the testkit's local S3 and fake OpenAI, the API, a worker, and the bootstrap
 * command. Each start returns once the process is ready, or fails with the tail of its log.
 */
public final class RetouchApps {

  /** A testkit server and the port it printed it listens on. */
  public record Listening(AppProcess process, int port) {}

  /** What the API's bootstrap command printed. */
  public record Installation(String organizationId, String datasetId, String apiKey) {}

  /** What the testkit's servers print once they listen ("... listening on http://…:P…"). */
  public static final Pattern LISTENING_ON =
      Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  private static final Duration SERVER_START = Duration.ofSeconds(60);
  private static final Duration APP_START = Duration.ofSeconds(120);

  /** What the testkit's containers command prints once its containers take connections. */
  public static final String CONTAINERS_READY = "containers ready:";

  /** The first run pulls the images. */
  private static final Duration CONTAINERS_START = Duration.ofMinutes(10);

  private static final ObjectMapper JSON = new ObjectMapper();

  private RetouchApps() {}

  /** The testkit's local S3 over {@code dir}, on any free port. */
  public static Listening localS3(Launch launch, Path testkitJar, Path dir) {
    return listening(
        launch.start("s3", testkitJar, Map.of(), "s3", "--port", "0", "--dir", dir.toString()));
  }

  /** The testkit's fake OpenAI on any free port, answering after {@code latency} if given. */
  public static Listening fakeOpenAi(Launch launch, Path testkitJar, Optional<Duration> latency) {
    List<String> args = new ArrayList<>(List.of("fake-openai", "--port", "0"));
    latency.ifPresent(l -> args.addAll(List.of("--latency-ms", "" + l.toMillis())));
    Listening fake =
        listening(launch.start("fake-openai", testkitJar, Map.of(), args.toArray(String[]::new)));
    String health = "http://127.0.0.1:" + fake.port() + "/v1/_fake/health";
    ready(fake.process(), () -> answers200(health), SERVER_START);
    return fake;
  }

  /**
   * The testkit's {@code containers} command with {@code args}, once it has written the containers'
   * coordinates: they live as long as this process.
   */
  public static AppProcess containers(Launch launch, Path testkitJar, List<String> args) {
    AppProcess containers =
        launch.start("containers", testkitJar, Map.of(), args.toArray(String[]::new));
    ready(containers, () -> containers.logContains(CONTAINERS_READY), CONTAINERS_START);
    return containers;
  }

  /** The API on {@code port}, once {@code /actuator/health} is up. */
  public static AppProcess api(
      Launch launch, String name, Path apiJar, Map<String, String> env, int port) {
    AppProcess api = launch.start(name, apiJar, withServerPort(env, port));
    ready(api, () -> healthy("http://127.0.0.1:" + port), APP_START);
    return api;
  }

  /**
   * A worker with its management port on {@code managementPort} (0: any free one), once it has
   * started its consumers.
   */
  public static AppProcess worker(
      Launch launch, String name, Path workerJar, Map<String, String> env, int managementPort) {
    AppProcess worker = launch.start(name, workerJar, withServerPort(env, managementPort));
    ready(worker, () -> worker.logContains("Started RetouchWorkerApplication"), APP_START);
    return worker;
  }

  /** Runs the API jar's {@code bootstrap} command (org, dataset, key) and reads what it printed. */
  public static Installation bootstrap(
      Launch launch, String name, Path apiJar, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of("bootstrap"));
    command.addAll(List.of(args));
    String printed = launch.run(name, apiJar, env, command.toArray(String[]::new));
    // the JSON is the last line that looks like one: Spring may print a banner or log lines before
    String json =
        printed.lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b).orElse("");
    try {
      JsonNode boot = JSON.readTree(json);
      Installation installation =
          new Installation(
              boot.path("organization_id").asText(""),
              boot.path("dataset_id").asText(""),
              boot.path("api_key").asText(""));
      if (installation.organizationId().isBlank()
          || installation.datasetId().isBlank()
          || installation.apiKey().isBlank()) {
        throw new IllegalStateException("bootstrap printed no usable JSON: " + printed);
      }
      return installation;
    } catch (IOException e) {
      throw new IllegalStateException("bootstrap printed no usable JSON: " + printed, e);
    }
  }

  /** True when the app at {@code baseUrl} answers {@code /actuator/health} with UP. */
  public static boolean healthy(String baseUrl) {
    return answers200(baseUrl + "/actuator/health");
  }

  /** Spring Boot's {@code server.port}: the API's port, a worker's management port. */
  private static Map<String, String> withServerPort(Map<String, String> env, int port) {
    Map<String, String> withPort = new LinkedHashMap<>(env);
    withPort.put("SERVER_PORT", "" + port);
    return withPort;
  }

  /**
   * Waits for {@code process}; one that does not get ready is killed: a failed start leaves
   * nothing.
   */
  private static void ready(AppProcess process, BooleanSupplier ready, Duration timeout) {
    try {
      process.awaitReady(ready, timeout);
    } catch (RuntimeException e) {
      process.kill();
      throw e;
    }
  }

  private static Listening listening(AppProcess process) {
    ready(
        process,
        () -> AppProcess.loggedPort(process.log(), LISTENING_ON).isPresent(),
        SERVER_START);
    return new Listening(process, AppProcess.loggedPort(process.log(), LISTENING_ON).getAsInt());
  }

  private static boolean answers200(String url) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
