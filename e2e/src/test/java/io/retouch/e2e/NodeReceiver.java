package io.retouch.e2e;

import io.retouch.testkit.node.NodeProject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook receiver of {@code src/test/node/receiver.mjs}, written against the public {@code
 * standardwebhooks} library, as a process: {@link #kill()} takes it down (connections are refused),
 * {@link #start()} brings it back on the same port with what it had verified forgotten.
 */
final class NodeReceiver implements AutoCloseable {

  /** One event the receiver verified. */
  record Verified(String id, String type, String job) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final NodeProject NODE =
      NodeProject.installed(Path.of("src", "test", "node"), "standardwebhooks");

  private final int port;
  private final String secret;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Verified> before = new ArrayList<>();
  private int rejectedBefore;
  private Process process;

  NodeReceiver(int port, String secret) {
    this.port = port;
    this.secret = secret;
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Starts the process and waits until it listens. */
  synchronized NodeReceiver start() {
    process = NODE.start(List.of("node", "receiver.mjs", String.valueOf(port), secret));
    var reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    try {
      String line =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return reader.readLine();
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  })
              .get(60, TimeUnit.SECONDS);
      if (line == null || !line.startsWith("listening")) {
        throw new IllegalStateException("the receiver did not start: " + line);
      }
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("the webhook receiver did not start on " + port, e);
    }
    // keep draining its output so it never blocks on a full pipe
    Thread.ofVirtual().start(() -> reader.lines().forEach(l -> {}));
    return this;
  }

  /** SIGKILL: the receiver is gone and its port refuses connections; what it verified is kept. */
  synchronized void kill() {
    Received now = received();
    before.addAll(now.verified());
    rejectedBefore += now.rejected();
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Makes the receiver answer {@code status} (503, say) from now on, after {@code delay}. */
  void answer(int status, Duration delay) {
    send(
        HttpRequest.newBuilder(url("/control"))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"status\":%d,\"delay_ms\":%d}".formatted(status, delay.toMillis()))));
  }

  /** Everything verified so far, across restarts, and how many requests failed verification. */
  record Received(List<Verified> verified, int rejected) {}

  synchronized Received received() {
    JsonNode answer = JSON.readTree(send(HttpRequest.newBuilder(url("/received")).GET()));
    List<Verified> verified = new ArrayList<>(before);
    answer
        .get("verified")
        .forEach(
            v ->
                verified.add(
                    new Verified(
                        v.get("id").asString(),
                        v.get("type").asString(),
                        v.get("job").asString())));
    return new Received(verified, rejectedBefore + answer.get("rejected").asInt());
  }

  private String send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("the receiver answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.destroyForcibly();
    }
  }
}
