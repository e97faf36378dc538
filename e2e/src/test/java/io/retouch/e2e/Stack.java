package io.retouch.e2e;

import io.retouch.testkit.openai.FakeOpenAi;
import io.retouch.testkit.s3.LocalS3;
import io.retouch.testkit.services.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole system for end-to-end tests, started once per test JVM: the packaged api and worker
 * jars as real processes, on this run's Postgres database and RabbitMQ prefix, with a local S3 and
 * the fake OpenAI in this JVM so tests can script and inspect them.
 */
final class Stack {

  static final String BUCKET = "e2e";
  private static Stack instance;

  final FakeOpenAi openAi;
  final LocalS3 s3;
  final Installation tenant;
  final ApiClient api;
  private final int apiPort;
  private final AppProcess apiProcess;
  private AppProcess worker;
  private Map<String, String> workerEnv = Map.of();
  private int workers;

  /** What the bootstrap command printed. */
  record Installation(String organizationId, String datasetId, String apiKey) {}

  static synchronized Stack get() {
    if (instance == null) {
      instance = new Stack();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "e2e-stack-stop"));
    }
    return instance;
  }

  private Stack() {
    openAi = FakeOpenAi.start(0);
    try {
      s3 = LocalS3.start(0, Files.createTempDirectory("e2e-s3"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    apiPort = freePort();
    JsonNode boot =
        JsonMapper.builder()
            .build()
            .readTree(
                AppProcess.run(
                    "bootstrap",
                    jar("api"),
                    env(),
                    "bootstrap",
                    "--org",
                    "E2E",
                    "--dataset",
                    "images",
                    "--tracking-id",
                    "e2e-images"));
    tenant =
        new Installation(
            boot.get("organization_id").asString(),
            boot.get("dataset_id").asString(),
            boot.get("api_key").asString());
    apiProcess = AppProcess.start("api", jar("api"), env());
    apiProcess.awaitReady(this::apiHealthy, Duration.ofSeconds(120));
    startWorker(Map.of());
    api = new ApiClient("http://127.0.0.1:" + apiPort, tenant.apiKey(), tenant.datasetId());
  }

  /** Makes sure the running worker was started with exactly this extra environment. */
  synchronized void useWorker(Map<String, String> extraEnv) {
    if (worker != null && workerEnv.equals(extraEnv)) {
      return;
    }
    if (worker != null) {
      worker.close();
    }
    startWorker(extraEnv);
  }

  AppProcess worker() {
    return worker;
  }

  private void startWorker(Map<String, String> extraEnv) {
    Map<String, String> env = env();
    env.putAll(extraEnv);
    worker = AppProcess.start("worker-" + (++workers), jar("worker"), env);
    workerEnv = Map.copyOf(extraEnv);
    worker.awaitReady(
        () -> worker.logContains("Started RetouchWorkerApplication"), Duration.ofSeconds(120));
  }

  /** Environment shared by api, worker and bootstrap: this run's services, short test delays. */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>(TestServices.get().environment());
    env.put("SERVER_PORT", String.valueOf(apiPort));
    env.put("RETOUCH_STORAGE_ENDPOINT", s3.endpoint().toString());
    env.put("RETOUCH_STORAGE_PATH_STYLE", "true");
    env.put("RETOUCH_STORAGE_ACCESS_KEY", s3.accessKey());
    env.put("RETOUCH_STORAGE_SECRET_KEY", s3.secretKey());
    env.put("RETOUCH_STORAGE_BUCKET", BUCKET);
    env.put("OPENAI_API_KEY", "sk-e2e");
    env.put("OPENAI_BASE_URL", openAi.baseUrl());
    env.put("RETOUCH_FETCH_ALLOW_PRIVATE_NETWORKS", "true");
    env.put("RETOUCH_WORKER_CONCURRENCY", "8");
    env.put("RETOUCH_WORKER_INITIAL_BACKOFF", "200ms");
    env.put("RETOUCH_OUTBOX_POLL_INTERVAL", "200ms");
    return env;
  }

  private boolean apiHealthy() {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + apiPort + "/actuator/health"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void stop() {
    if (worker != null) {
      worker.close();
    }
    apiProcess.close();
    openAi.close();
    s3.close();
  }

  private static Path jar(String module) {
    String path = System.getProperty("retouch.e2e." + module + "-jar");
    Path jar =
        path != null
            ? Path.of(path)
            : Path.of("..", module, "target", "retouch-" + module + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing; build it first (./mvnw verify builds it)");
    }
    return jar;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
