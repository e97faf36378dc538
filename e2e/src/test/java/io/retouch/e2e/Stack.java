package io.retouch.e2e;

import io.retouch.testkit.fault.FaultProxy;
import io.retouch.testkit.openai.FakeOpenAi;
import io.retouch.testkit.otlp.OtlpCollector;
import io.retouch.testkit.process.AppProcess;
import io.retouch.testkit.process.RetouchApps;
import io.retouch.testkit.process.RetouchApps.Installation;
import io.retouch.testkit.s3.LocalS3;
import io.retouch.testkit.services.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system for end-to-end tests: the packaged api and worker jars as real processes, on
 * this test JVM's Postgres database and RabbitMQ prefix, with a local S3 and the fake OpenAI in
 * this JVM so tests can script and inspect them. With {@code faultProxies}, every connection of the
 * processes to Postgres, RabbitMQ and S3 passes a {@link FaultProxy} the tests can cut.
 */
final class Stack {

  static final String BUCKET = "e2e";
  private static Stack shared;

  /** How to start a stack. */
  record Options(int workers, boolean faultProxies, Map<String, String> env) {}

  final FakeOpenAi openAi;
  final LocalS3 s3;

  /** Where the API and the workers export their spans. */
  final OtlpCollector traces;

  final Installation tenant;
  final ApiClient api;
  final FaultProxy postgresProxy;
  final FaultProxy rabbitProxy;
  final FaultProxy s3Proxy;
  private final Options options;
  private final int apiPort;
  private AppProcess apiProcess;
  private final List<AppProcess> workers = new ArrayList<>();
  private final List<AppProcess> extraApis = new ArrayList<>();
  private Map<String, String> workerEnv = Map.of();
  private int started;

  private static Stack faulty;

  /**
   * The stack the fault-injection tests share: two workers, every connection through a fault proxy,
   * short leases and patient retries so outages of ten seconds are survived.
   */
  static synchronized Stack faulty() {
    if (faulty == null) {
      faulty =
          start(
              new Options(
                  2,
                  true,
                  Map.ofEntries(
                      Map.entry("RETOUCH_WORKER_LEASE", "4s"),
                      Map.entry("RETOUCH_WORKER_REAP_INTERVAL", "1s"),
                      Map.entry("RETOUCH_WORKER_INITIAL_BACKOFF", "500ms"),
                      Map.entry("RETOUCH_WORKER_MAX_BACKOFF", "4s"),
                      Map.entry("RETOUCH_WORKER_MAX_ATTEMPTS", "12"),
                      Map.entry("RETOUCH_WORKER_SHUTDOWN_GRACE", "10s"),
                      Map.entry("RETOUCH_API_RETRY_AFTER", "1"),
                      // outages of 8-10 s outlast it: messages are handed back as fresh copies
                      Map.entry("RETOUCH_WORKER_DATABASEOUTAGEWAIT", "2s"),
                      // a purged queue is refilled within seconds, not minutes
                      Map.entry("RETOUCH_DISPATCH_LOSTAFTER", "3s"),
                      Map.entry("RETOUCH_DISPATCH_SWEEPINTERVAL", "1s"),
                      Map.entry("SPRING_DATASOURCE_HIKARI_CONNECTIONTIMEOUT", "2000"))));
    }
    return faulty;
  }

  /** The stack the main end-to-end tests share: one worker, direct connections. */
  static synchronized Stack get() {
    if (shared == null) {
      shared = start(new Options(1, false, Map.of()));
    }
    return shared;
  }

  static Stack start(Options options) {
    Stack stack = new Stack(options);
    TestServices.get().beforeCleanup(stack::stop);
    return stack;
  }

  private Stack(Options options) {
    this.options = options;
    openAi = FakeOpenAi.start(0);
    traces = OtlpCollector.start(0);
    try {
      s3 = LocalS3.start(0, Files.createTempDirectory("e2e-s3"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var services = TestServices.get();
    if (options.faultProxies()) {
      URI pg = URI.create(services.postgres().jdbcUrl().substring("jdbc:".length()));
      postgresProxy = FaultProxy.to(pg.getHost(), pg.getPort());
      rabbitProxy = FaultProxy.to(services.rabbit().host(), services.rabbit().port());
      s3Proxy = FaultProxy.to("127.0.0.1", s3.port());
    } else {
      postgresProxy = null;
      rabbitProxy = null;
      s3Proxy = null;
    }
    apiPort = freePort();
    tenant =
        RetouchApps.bootstrap(
            Processes.LAUNCH,
            "bootstrap",
            jar("api"),
            env(),
            "--org",
            "E2E",
            "--dataset",
            "images",
            "--tracking-id",
            "e2e-images");
    apiProcess = RetouchApps.api(Processes.LAUNCH, "api", jar("api"), env(), apiPort);
    for (int i = 0; i < options.workers(); i++) {
      startWorker(Map.of());
    }
    api = new ApiClient("http://127.0.0.1:" + apiPort, tenant.apiKey(), tenant.datasetId());
  }

  AppProcess apiProcess() {
    return apiProcess;
  }

  /** Another API process on the same database and broker, on a port of its own. */
  synchronized ApiClient startAnotherApi() {
    int port = freePort();
    Map<String, String> env = env();
    env.put("SERVER_PORT", String.valueOf(port));
    AppProcess extra =
        RetouchApps.api(Processes.LAUNCH, "api-" + (++started), jar("api"), env, port);
    extraApis.add(extra);
    return new ApiClient("http://127.0.0.1:" + port, tenant.apiKey(), tenant.datasetId());
  }

  /** Starts the API again after a test stopped it. */
  synchronized void restartApi() {
    if (apiProcess.isAlive()) {
      apiProcess.close();
    }
    apiProcess =
        RetouchApps.api(Processes.LAUNCH, "api-" + (++started), jar("api"), env(), apiPort);
  }

  /** Makes sure the single worker was started with exactly this extra environment. */
  synchronized AppProcess useWorker(Map<String, String> extraEnv) {
    if (workers.size() == 1 && workerEnv.equals(extraEnv)) {
      return workers.getFirst();
    }
    workers.forEach(AppProcess::close);
    workers.clear();
    return startWorker(extraEnv);
  }

  /** Stops every worker; {@link #useWorker} starts one again. */
  synchronized void stopWorkers() {
    workers.forEach(AppProcess::close);
    workers.clear();
  }

  AppProcess worker() {
    return workers.getFirst();
  }

  List<AppProcess> workers() {
    return List.copyOf(workers);
  }

  /** Starts one more worker, named {@code worker-N} in its logs and leases. */
  synchronized AppProcess startWorker(Map<String, String> extraEnv) {
    String name = "worker-" + (++started);
    Map<String, String> env = env();
    env.put("RETOUCH_WORKER_ID", name);
    env.putAll(extraEnv);
    // each worker's management port: any free one
    AppProcess worker = RetouchApps.worker(Processes.LAUNCH, name, jar("worker"), env, 0);
    workers.add(worker);
    workerEnv = Map.copyOf(extraEnv);
    return worker;
  }

  synchronized void forget(AppProcess worker) {
    workers.remove(worker);
  }

  /** Environment of api, workers and bootstrap: this run's services, short test delays. */
  Map<String, String> env() {
    var services = TestServices.get();
    Map<String, String> env = new LinkedHashMap<>(services.environment());
    env.put("SERVER_PORT", String.valueOf(apiPort));
    URI s3Endpoint = s3.endpoint();
    if (options.faultProxies()) {
      env.put(
          "SPRING_DATASOURCE_URL",
          services
              .postgres()
              .jdbcUrl()
              .replaceFirst("//[^/]+/", "//127.0.0.1:" + postgresProxy.port() + "/"));
      env.put("SPRING_RABBITMQ_HOST", "127.0.0.1");
      env.put("SPRING_RABBITMQ_PORT", String.valueOf(rabbitProxy.port()));
      s3Endpoint = URI.create("http://127.0.0.1:" + s3Proxy.port());
    }
    env.put("RETOUCH_STORAGE_ENDPOINT", s3Endpoint.toString());
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
    env.put("RETOUCH_API_WAIT_RECHECK", "1s");
    // webhook receivers of the tests listen on loopback; retries come seconds apart, not hours,
    // and the schedule (about 4.5 minutes in all) outlasts the tests' two-minute receiver outage
    env.put("RETOUCH_WEBHOOKS_ALLOW_PRIVATE_NETWORKS", "true");
    env.put("RETOUCH_WEBHOOKS_TIMEOUT", "3s");
    env.put("RETOUCH_WEBHOOKS_POLL_INTERVAL", "200ms");
    env.put("RETOUCH_WEBHOOKS_RETRY_SCHEDULE", "0s,1s,2s,5s,10s,20s,30s,30s,30s,30s,30s,30s,30s");
    env.put(
        "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
        traces.tracesEndpoint().toString());
    env.putAll(options.env());
    return env;
  }

  /**
   * At the end of the run: kill everything at once. Graceful stops one by one could outlast the
   * time the test runner gives the JVM to exit and leave processes behind.
   */
  void stop() {
    workers.forEach(AppProcess::kill);
    extraApis.forEach(AppProcess::kill);
    apiProcess.kill();
    openAi.close();
    s3.close();
    traces.close();
    for (FaultProxy proxy : new FaultProxy[] {postgresProxy, rabbitProxy, s3Proxy}) {
      if (proxy != null) {
        proxy.close();
      }
    }
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
