package io.retouch.testkit.openai;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A wire-faithful fake of OpenAI's {@code POST /v1/images/edits} for the GPT image models, good
 * enough for the official SDKs: same multipart fields, same validation, same error bodies, real
 * PNGs of the requested size in {@code b64_json}.
 *
 * <p>Tests steer it with {@link #enqueue(ScriptedResponse)} (one-shot answers, FIFO, served before
 * normal processing), {@link #refusePromptsContaining(String)} and {@link #setLatency(Duration)},
 * and inspect what it received with {@link #requests()}. It also answers {@code GET
 * /v1/_fake/health} with {@code ok} so scripts can wait for it to start.
 */
public final class FakeOpenAi implements AutoCloseable {

  /**
   * The models the fake serves until {@link #setKnownModels(Set)} says otherwise: those of the
   * capability table and their snapshots, each until its shutdown date.
   */
  public static final Set<String> DEFAULT_MODELS =
      java.util.Collections.unmodifiableSet(
          new java.util.LinkedHashSet<>(FakeModels.ofTheTable().models().keySet()));

  static final String EDITS_PATH = "/v1/images/edits";
  static final String MODELS_PATH = "/v1/models";
  static final String HEALTH_PATH = "/v1/_fake/health";

  /** {@code PUT} a number of milliseconds: the latency of every later edit (the benchmark's). */
  static final String LATENCY_PATH = "/v1/_fake/latency";

  private static final Logger log = LoggerFactory.getLogger(FakeOpenAi.class);

  /** Load tests open many connections at once; the JDK default accept backlog is only 50. */
  private static final int ACCEPT_BACKLOG = 1024;

  private static final String MISSING_KEY_MESSAGE =
      "You didn't provide an API key. You need to provide your API key in an Authorization"
          + " header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password"
          + " field (with blank username) if you're accessing the API from your browser and are"
          + " prompted for a username and password. You can obtain an API key from"
          + " https://platform.openai.com/account/api-keys.";

  private final HttpServer server;
  private final ExecutorService executor;
  private final FakeImageRenderer renderer = new FakeImageRenderer();
  private final java.util.concurrent.Semaphore renderSlots =
      new java.util.concurrent.Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));
  private final Queue<ScriptedResponse> scripts = new ConcurrentLinkedQueue<>();
  private final Set<String> refusedFragments = ConcurrentHashMap.newKeySet();
  private final List<RecordedEdit> requests = new ArrayList<>(); // guarded by itself
  private volatile FakeModels models = FakeModels.ofTheTable();
  private volatile java.time.Clock clock = java.time.Clock.systemUTC();
  private volatile Duration latency = Duration.ZERO;
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();

  private FakeOpenAi(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts the fake on {@code 127.0.0.1}.
   *
   * @param port the port to listen on, or 0 for any free port
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static FakeOpenAi start(int port) {
    HttpServer server;
    try {
      server =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), port), ACCEPT_BACKLOG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port, e);
    }
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    FakeOpenAi fake = new FakeOpenAi(server, executor);
    server.createContext("/", fake::handle);
    server.setExecutor(executor);
    server.start();
    log.debug("fake OpenAI listening on {}", fake.baseUrl());
    return fake;
  }

  /** The port the fake listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL to give an OpenAI client, {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  /** Queues a one-shot response for the next edit request that passes authentication. */
  public void enqueue(ScriptedResponse response) {
    scripts.add(Objects.requireNonNull(response));
  }

  /** How many queued scripted responses have not been served yet. */
  public int pendingScripts() {
    return scripts.size();
  }

  /**
   * Makes every valid request whose prompt contains {@code fragment} fail with OpenAI's content
   * policy error ({@code moderation_blocked}), for as long as the fake runs or until {@link
   * #reset()}.
   */
  public void refusePromptsContaining(String fragment) {
    refusedFragments.add(Objects.requireNonNull(fragment));
  }

  /** Delays every edit response by {@code latency}, to simulate a slow model. */
  public void setLatency(Duration latency) {
    this.latency = Objects.requireNonNull(latency);
  }

  /**
   * Replaces the models that exist, none with a shutdown date; any other model gets 404 {@code
   * model_not_found}, on edits and on {@code GET /v1/models/{id}}.
   */
  public void setKnownModels(Set<String> models) {
    this.models = FakeModels.of(models);
  }

  /**
   * Replaces the models that exist and their shutdown dates (a null date: none announced). From its
   * shutdown date on, a model is gone: 404 {@code model_not_found} everywhere.
   */
  public void setModels(java.util.Map<String, java.time.LocalDate> modelsAndShutdownDates) {
    java.util.Map<String, java.util.Optional<java.time.LocalDate>> dated =
        new java.util.LinkedHashMap<>();
    modelsAndShutdownDates.forEach((m, d) -> dated.put(m, java.util.Optional.ofNullable(d)));
    this.models = new FakeModels(dated);
  }

  /** The clock deciding which models are past their shutdown date (the system's by default). */
  public void setClock(java.time.Clock clock) {
    this.clock = Objects.requireNonNull(clock);
  }

  /** Every edit request received so far, in the order they were answered. */
  public List<RecordedEdit> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Edit requests received whose answer has not been sent yet (e.g. waiting out latency). */
  public int inFlight() {
    return inFlight.get();
  }

  /** How many edit requests were received so far. */
  public int requestCount() {
    synchronized (requests) {
      return requests.size();
    }
  }

  /**
   * Forgets scripted responses, refused prompt fragments, latency and recorded requests, and goes
   * back to the default models and the system clock.
   */
  public void reset() {
    scripts.clear();
    refusedFragments.clear();
    latency = Duration.ZERO;
    models = FakeModels.ofTheTable();
    clock = java.time.Clock.systemUTC();
    synchronized (requests) {
      requests.clear();
    }
  }

  /** Stops listening and interrupts requests still in flight (for example, ones under latency). */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      HttpReply reply;
      try {
        reply = route(exchange);
      } catch (RuntimeException e) {
        log.warn("fake OpenAI failed on {}", exchange.getRequestURI(), e);
        reply = HttpReply.scripted(ScriptedResponse.serverError());
      }
      send(exchange, reply);
    } catch (IOException e) {
      // The client went away (timeouts in tests do that); nothing to answer.
      log.debug("fake OpenAI exchange failed", e);
    }
  }

  private HttpReply route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    if (path.equals(EDITS_PATH) && method.equals("POST")) {
      return edit(exchange);
    }
    if (path.equals(LATENCY_PATH) && method.equals("PUT")) {
      return latency(exchange);
    }
    exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
    if (path.equals(HEALTH_PATH) && method.equals("GET")) {
      return HttpReply.text(200, "ok");
    }
    if (method.equals("GET") && (path.equals(MODELS_PATH) || path.startsWith(MODELS_PATH + "/"))) {
      return models(exchange.getRequestHeaders(), path);
    }
    return HttpReply.error(
        404, OpenAiError.invalidRequest("Invalid URL (" + method + " " + path + ")", null, null));
  }

  /** {@code PUT /v1/_fake/latency} with a number of milliseconds. */
  private HttpReply latency(HttpExchange exchange) throws IOException {
    String body =
        new String(
                exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
            .strip();
    try {
      long millis = Long.parseLong(body);
      if (millis < 0) {
        throw new IllegalArgumentException("negative");
      }
      setLatency(Duration.ofMillis(millis));
      return HttpReply.text(200, body);
    } catch (IllegalArgumentException e) { // NumberFormatException included
      return HttpReply.text(400, "the body must be a number of milliseconds");
    }
  }

  /**
   * {@code GET /v1/models} and {@code GET /v1/models/{id}}: OpenAI's model objects, with {@code
   * shutdown_date} as it announces retirements; a model past its date is no longer listed.
   */
  private HttpReply models(Headers headers, String path) {
    if (!hasBearerToken(headers.getFirst("Authorization"))) {
      return HttpReply.error(401, OpenAiError.invalidRequest(MISSING_KEY_MESSAGE, null, null));
    }
    FakeModels current = models;
    java.time.LocalDate today = java.time.LocalDate.now(clock);
    if (path.equals(MODELS_PATH)) {
      return HttpReply.json(
          200,
          Json.write(
              java.util.Map.of(
                  "object",
                  "list",
                  "data",
                  current.served(today).stream().map(id -> model(id, current)).toList())));
    }
    String id = path.substring(MODELS_PATH.length() + 1); // already percent-decoded
    if (!current.serves(id, today)) {
      return HttpReply.error(
          404,
          OpenAiError.invalidRequest(
              "The model '" + id + "' does not exist", "model", "model_not_found"));
    }
    return HttpReply.json(200, Json.write(model(id, current)));
  }

  private static java.util.Map<String, Object> model(String id, FakeModels models) {
    java.util.Map<String, Object> model = new java.util.LinkedHashMap<>();
    model.put("id", id);
    model.put("object", "model");
    model.put("created", 1_776_729_600L);
    model.put("owned_by", "system");
    model.put("shutdown_date", models.shutdownDate(id).map(Object::toString).orElse(null));
    return model;
  }

  private HttpReply edit(HttpExchange exchange) throws IOException {
    inFlight.incrementAndGet();
    try {
      return answerEdit(exchange);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private HttpReply answerEdit(HttpExchange exchange) throws IOException {
    Instant at = Instant.now();
    Duration delay = latency; // read once: a later setLatency does not change requests in flight
    EditForm form = EditForm.EMPTY;
    RequestRejected unreadable = null;
    try (var body = exchange.getRequestBody()) {
      String boundary =
          MultipartParser.boundaryOf(exchange.getRequestHeaders().getFirst("Content-Type"));
      // streamed: what stays in memory is the text fields and a digest per image
      form = EditForm.read(body, boundary);
      body.transferTo(OutputStream.nullOutputStream());
    } catch (MalformedMultipartException e) {
      unreadable =
          RequestRejected.badRequest(
              "Could not parse multipart form data: " + e.getMessage() + ".", null, null);
    }

    HttpReply reply = answer(exchange.getRequestHeaders(), form, unreadable);
    if (!pause(delay)) {
      throw new IOException("interrupted while simulating latency");
    }
    RecordedEdit recorded = form.toRecord(at, reply.status());
    synchronized (requests) {
      requests.add(recorded);
    }
    log.debug("edit model={} n={} -> {}", recorded.model(), recorded.n(), reply.status());
    return reply;
  }

  private HttpReply answer(Headers headers, EditForm form, RequestRejected unreadable) {
    if (!hasBearerToken(headers.getFirst("Authorization"))) {
      return HttpReply.error(401, OpenAiError.invalidRequest(MISSING_KEY_MESSAGE, null, null));
    }
    ScriptedResponse script = scripts.poll();
    if (script != null) {
      return HttpReply.scripted(script);
    }
    if (unreadable != null) {
      return HttpReply.error(unreadable);
    }
    EditRequest request;
    try {
      request = EditValidator.validate(form, models, java.time.LocalDate.now(clock));
    } catch (RequestRejected rejected) {
      return HttpReply.error(rejected);
    }
    if (refusedFragments.stream().anyMatch(request.prompt()::contains)) {
      return HttpReply.error(400, ScriptedResponse.contentPolicyError());
    }
    return HttpReply.json(200, Json.write(success(request)));
  }

  private EditResponse success(EditRequest request) {
    Base64.Encoder base64 = Base64.getEncoder();
    List<EditResponse.ImageData> images;
    // each render holds a full-size canvas; under load, requests take turns instead of all
    // allocating at once (the fake runs in a small heap next to everything else)
    renderSlots.acquireUninterruptibly();
    try {
      images =
          IntStream.range(0, request.n())
              .mapToObj(
                  i ->
                      new EditResponse.ImageData(
                          base64.encodeToString(renderer.render(request, i))))
              .toList();
    } finally {
      renderSlots.release();
    }
    return new EditResponse(
        Instant.now().getEpochSecond(),
        images,
        EditResponse.Usage.estimate(request),
        request.size().label(),
        request.quality(),
        request.outputFormat(),
        request.background());
  }

  private static boolean hasBearerToken(String authorization) {
    if (authorization == null) {
      return false;
    }
    String value = authorization.trim();
    return value.length() > 7
        && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")
        && !value.substring(7).isBlank();
  }

  /** Sleeps; false when interrupted, which only happens when the fake is closing. */
  private static boolean pause(Duration duration) {
    if (duration.isZero() || duration.isNegative()) {
      return true;
    }
    try {
      Thread.sleep(duration);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void send(HttpExchange exchange, HttpReply reply) throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", reply.contentType());
    headers.set("x-request-id", "req_" + HexFormat.of().formatHex(randomBytes()));
    reply.headers().forEach(headers::set);
    byte[] body = reply.body();
    // For HttpServer a length of 0 means "chunked"; -1 means "no body".
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
