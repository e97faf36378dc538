package io.retouch.testkit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The benchmark's client: Retouch's API as a Trieve client calls it, and the fake model called
 * directly with the multipart request the worker's SDK sends, so the two can be timed side by side.
 */
final class Client implements AutoCloseable {

  /**
   * One answer and how long it took, in seconds.
   *
   * @param queryId Retouch's {@code TR-QueryID} (the job id), empty for the model's answers
   */
  record Timed(int status, String body, double seconds, String queryId) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "gpt-image-2.6-sunburst";

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .executor(Executors.newVirtualThreadPerTaskExecutor())
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final BenchStack stack;

  Client(BenchStack stack) {
    this.stack = stack;
  }

  /** A submission; synchronous unless {@code async}. */
  Timed submit(BenchStack.Tenant tenant, String body, boolean async) {
    HttpRequest.Builder request = edit(tenant).POST(HttpRequest.BodyPublishers.ofString(body));
    if (async) {
      request.header("Prefer", "respond-async");
    }
    return timed(request.build());
  }

  /**
   * {@link #submit} as a well-behaved client does it: a 503 (the API short of a database connection
   * on this loaded box, say) or a 429 is tried again a second later, a few times.
   */
  Timed submitRetrying(BenchStack.Tenant tenant, String body, boolean async) {
    Timed answer = submit(tenant, body, async);
    for (int retry = 0; (answer.status() == 503 || answer.status() == 429) && retry < 5; retry++) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      answer = submit(tenant, body, async);
    }
    return answer;
  }

  /** An asynchronous submission of a body already encoded, shared by concurrent callers. */
  Timed submitBytes(BenchStack.Tenant tenant, byte[] body) {
    return timed(
        edit(tenant)
            .header("Prefer", "respond-async")
            // as curl does for large bodies: a refusal (503) arrives before the body is sent
            .expectContinue(true)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  /** {@code POST /api/message/edit_image} as the tenant's owner key. */
  private HttpRequest.Builder edit(BenchStack.Tenant tenant) {
    return HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/api/message/edit_image"))
        .timeout(Duration.ofMinutes(10))
        .header("Content-Type", "application/json")
        .header("Authorization", tenant.apiKey())
        .header("TR-Dataset", tenant.datasetId());
  }

  /** The job id of an accepted submission. */
  static UUID jobId(Timed accepted) {
    if (accepted.status() != 202 && accepted.status() != 200) {
      throw new IllegalStateException(
          "submission answered " + accepted.status() + ": " + accepted.body());
    }
    try {
      return UUID.fromString(JSON.readTree(accepted.body()).get("id").asText());
    } catch (IOException e) {
      throw new IllegalStateException("an accepted submission answered no JSON", e);
    }
  }

  Timed cancel(BenchStack.Tenant tenant, UUID job) {
    return timed(
        HttpRequest.newBuilder(
                URI.create(stack.apiUrl() + "/api/message/edit_image/" + job + "/cancel"))
            .header("Authorization", tenant.apiKey())
            .header("TR-Dataset", tenant.datasetId())
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  /** The same edit sent straight to the model, as OpenAI's SDK sends it (multipart). */
  Timed direct(byte[] png) {
    String boundary = "bench-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream(png.length + 1024);
    field(body, boundary, "model", MODEL);
    field(body, boundary, "prompt", "bench");
    field(body, boundary, "n", "1");
    field(body, boundary, "size", "1024x1024");
    field(body, boundary, "quality", "low");
    write(
        body,
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"image[]\"; filename=\"in.png\"\r\n"
            + "Content-Type: image/png\r\n\r\n");
    body.writeBytes(png);
    write(body, "\r\n--" + boundary + "--\r\n");
    return timed(
        HttpRequest.newBuilder(URI.create(stack.modelUrl() + "/images/edits"))
            .timeout(Duration.ofMinutes(5))
            .header("Authorization", "Bearer sk-bench")
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build());
  }

  /** Runs {@code count} calls with at most {@code concurrency} at once; results in call order. */
  static <T> List<T> concurrently(int count, int concurrency, Callable<T> call) {
    Semaphore slots = new Semaphore(concurrency);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        futures.add(
            threads.submit(
                () -> {
                  slots.acquire();
                  try {
                    return call.call();
                  } finally {
                    slots.release();
                  }
                }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private Timed timed(HttpRequest request) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Timed(
          response.statusCode(),
          response.body(),
          (System.nanoTime() - start) / 1e9,
          response.headers().firstValue("TR-QueryID").orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void field(
      ByteArrayOutputStream body, String boundary, String name, String value) {
    write(
        body,
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\"\r\n\r\n"
            + value
            + "\r\n");
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    http.close();
  }
}
