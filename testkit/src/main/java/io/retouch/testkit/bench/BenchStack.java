package io.retouch.testkit.bench;

import io.retouch.testkit.otlp.OtlpCollector;
import io.retouch.testkit.process.AppProcess;
import io.retouch.testkit.process.RetouchApps;
import io.retouch.testkit.process.RetouchApps.Installation;
import io.retouch.testkit.process.RetouchApps.Listening;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark's own stack: its own database and queue prefix (from {@link TestServices}, which
 * drops both at exit), its own directory, and every server a separate process so each one's CPU and
 * memory can be read from {@code /proc}: the local S3 and the fake OpenAI (the testkit jar's
 * commands), the API and N workers (the packaged jars, with the JVM's default options, as they
 * would run in production).
 */
final class BenchStack implements AutoCloseable {

  /** A dataset the benchmark submits to, with its owner key. */
  record Tenant(String datasetId, String apiKey) {}

  private final Path apiJar;
  private final Path workerJar;
  private final AppProcess.Launch launch;
  private final TestServices services;
  private final int s3Port;
  private final int fakePort;
  private final int apiPort;
  private final AppProcess s3;
  private final AppProcess fake;
  private AppProcess api;
  private final List<AppProcess> workers = new ArrayList<>();
  private int started;
  final Tenant tenant;
  final Tenant other;

  private final Optional<OtlpCollector> traces;

  /**
   * @param trace export every process's spans to a collector in this JVM (for finding where time
   *     goes; it costs CPU, so figures measured with it are not comparable)
   */
  BenchStack(Path repo, Path dir, boolean trace) {
    traces = trace ? Optional.of(OtlpCollector.start(0)) : Optional.empty();
    apiJar = jar(repo, "api/target/retouch-api.jar");
    workerJar = jar(repo, "worker/target/retouch-worker.jar");
    Path testkitJar = jar(repo, "testkit/target/retouch-testkit.jar");
    launch = new AppProcess.Launch(AppProcess.Launch.currentJava(), List.of(), dir.resolve("logs"));
    services = TestServices.get();
    services.beforeCleanup(this::close);
    apiPort = freePort();
    Listening localS3 = RetouchApps.localS3(launch, testkitJar, dir.resolve("s3"));
    s3 = localS3.process();
    s3Port = localS3.port();
    Listening model = RetouchApps.fakeOpenAi(launch, testkitJar, Optional.empty());
    fake = model.process();
    fakePort = model.port();
    tenant = bootstrap("bench-a");
    other = bootstrap("bench-b");
    startApi(Map.of());
  }

  /** Environment of every Retouch process: this stack's services and servers. */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>(services.environment());
    env.put("SERVER_PORT", "" + apiPort);
    env.put("RETOUCH_STORAGE_ENDPOINT", "http://127.0.0.1:" + s3Port);
    env.put("RETOUCH_STORAGE_PATH_STYLE", "true");
    env.put("RETOUCH_STORAGE_ACCESS_KEY", LocalS3.ACCESS_KEY);
    env.put("RETOUCH_STORAGE_SECRET_KEY", LocalS3.SECRET_KEY);
    env.put("RETOUCH_STORAGE_BUCKET", "bench");
    env.put("OPENAI_API_KEY", "sk-bench");
    env.put("OPENAI_BASE_URL", modelUrl());
    // The scenarios measure what Retouch moves, not the per-key limiter (LimitsEndToEndIT tests
    // that): at the default 50 requests/s a fast run of 1,000 tiny jobs measured the limit.
    env.put("RETOUCH_LIMITS_KEY_RATE", "100000");
    env.put("RETOUCH_LIMITS_KEY_BURST", "100000");
    traces.ifPresent(
        t ->
            env.put(
                "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
                t.tracesEndpoint().toString()));
    return env;
  }

  private Tenant bootstrap(String name) {
    Installation boot =
        RetouchApps.bootstrap(
            launch, "bootstrap-" + name, apiJar, env(), "--org", name, "--dataset", name);
    return new Tenant(boot.datasetId(), boot.apiKey());
  }

  /** (Re)starts the API with {@code extraEnv}, e.g. to read its peak memory from a fresh start. */
  void startApi(Map<String, String> extraEnv) {
    if (api != null) {
      api.close();
    }
    Map<String, String> env = env();
    env.putAll(extraEnv);
    api = RetouchApps.api(launch, "api-" + (++started), apiJar, env, apiPort);
  }

  /** Stops every worker and starts {@code count} new ones with {@code extraEnv}. */
  void startWorkers(int count, Map<String, String> extraEnv) {
    workers.forEach(AppProcess::close);
    workers.clear();
    for (int i = 0; i < count; i++) {
      Map<String, String> env = env();
      env.put("RETOUCH_WORKER_ID", "bench-worker-" + (++started));
      env.putAll(extraEnv);
      workers.add(RetouchApps.worker(launch, "worker-" + started, workerJar, env, 0));
    }
  }

  /** The fake model's latency for every later edit. */
  void setModelLatency(Duration latency) {
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(URI.create(modelUrl() + "/_fake/latency"))
                .PUT(HttpRequest.BodyPublishers.ofString("" + latency.toMillis()))
                .build());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("the fake model refused latency " + latency);
    }
  }

  String apiUrl() {
    return "http://127.0.0.1:" + apiPort;
  }

  String modelUrl() {
    return "http://127.0.0.1:" + fakePort + "/v1";
  }

  URI s3Endpoint() {
    return URI.create("http://127.0.0.1:" + s3Port);
  }

  Optional<OtlpCollector> traces() {
    return traces;
  }

  TestServices services() {
    return services;
  }

  AppProcess api() {
    return api;
  }

  AppProcess fake() {
    return fake;
  }

  List<AppProcess> workers() {
    return List.copyOf(workers);
  }

  @Override
  public synchronized void close() {
    workers.forEach(AppProcess::close);
    workers.clear();
    if (api != null) {
      api.close();
      api = null;
    }
    fake.close();
    s3.close();
    traces.ifPresent(OtlpCollector::close);
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path jar(Path repo, String path) {
    Path jar = repo.resolve(path);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build first (./mvnw -B package -DskipTests)");
    }
    return jar;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
