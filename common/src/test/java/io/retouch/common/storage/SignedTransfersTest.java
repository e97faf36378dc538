package io.retouch.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What the transfers do with the store's answers, against a loopback HTTP server that answers as
 * told (S3ObjectStoreTest covers the real S3 protocol).
 */
class SignedTransfersTest {

  private static final byte[] BODY = "a png, say".getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** Answers {@code failures} times with {@code status} and an S3 error, then 200. */
  private SignedTransfers serving(int failures, int status, String code) throws IOException {
    AtomicInteger left = new AtomicInteger(failures);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] sent = exchange.getRequestBody().readAllBytes();
          requests.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().getPath()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + new String(sent, StandardCharsets.UTF_8));
          boolean fail = left.getAndDecrement() > 0;
          byte[] answer =
              fail
                  ? ("<Error><Code>" + code + "</Code><Message>as told</Message></Error>")
                      .getBytes(StandardCharsets.UTF_8)
                  : BODY;
          exchange.sendResponseHeaders(fail ? status : 200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    return transfers(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
  }

  private static SignedTransfers transfers(URI endpoint) {
    return new SignedTransfers(
        new PresignedUrls(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")),
            "us-east-1",
            endpoint,
            true,
            Clock.systemUTC()),
        "bucket");
  }

  @Test
  void a_put_sends_the_body_and_its_type_to_the_signed_path() throws IOException {
    try (SignedTransfers transfers = serving(0, 200, "")) {
      transfers.put(
          "inputs/d/j/0.png", () -> BodyPublishers.ofByteArray(BODY), BODY.length, "image/png");
    }

    assertThat(requests).containsExactly("PUT /bucket/inputs/d/j/0.png image/png a png, say");
  }

  @Test
  void an_empty_body_without_a_type_is_stored_as_such() throws IOException {
    try (SignedTransfers transfers = serving(0, 200, "")) {
      transfers.put(
          "empty",
          () -> {
            throw new AssertionError("no body to publish");
          },
          0,
          null);
    }

    assertThat(requests).containsExactly("PUT /bucket/empty null ");
  }

  @Test
  void server_errors_and_throttling_are_tried_again_up_to_three_times() throws IOException {
    try (SignedTransfers transfers = serving(2, 503, "SlowDown")) {
      assertThat(transfers.get("k")).isEqualTo(BODY);
    }
    assertThat(requests).hasSize(3);

    requests.clear();
    server.stop(0);
    try (SignedTransfers transfers = serving(1, 400, "RequestTimeout")) {
      assertThat(transfers.get("k")).isEqualTo(BODY);
    }
    assertThat(requests).hasSize(2);

    requests.clear();
    server.stop(0);
    try (SignedTransfers transfers = serving(3, 429, "TooManyRequests")) {
      assertThatThrownBy(() -> transfers.get("k"))
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessage(
              "object storage failed to read k after 3 tries: S3 answered 429 TooManyRequests: as"
                  + " told");
    }
    assertThat(requests).hasSize(3);
  }

  @Test
  void a_refusal_is_reported_at_once_and_a_missing_key_is_missing() throws IOException {
    try (SignedTransfers transfers = serving(1, 403, "AccessDenied")) {
      assertThatThrownBy(() -> transfers.get("k"))
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining("after 1 try: S3 answered 403 AccessDenied");
    }
    assertThat(requests).hasSize(1);

    server.stop(0);
    try (SignedTransfers transfers = serving(1, 404, "NoSuchKey")) {
      assertThatThrownBy(() -> transfers.get("inputs/gone.png"))
          .isInstanceOf(MissingObjectException.class)
          .hasMessage("no object at inputs/gone.png");
    }
  }

  @Test
  void credentials_that_cannot_be_resolved_make_the_store_unavailable() {
    SignedTransfers transfers =
        new SignedTransfers(
            new PresignedUrls(
                () -> {
                  throw SdkClientException.create("no credentials in the chain");
                },
                "us-east-1",
                URI.create("http://127.0.0.1:9"),
                true,
                Clock.systemUTC()),
            "bucket");
    try (transfers) {
      assertThatThrownBy(() -> transfers.get("k"))
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining("no credentials in the chain");
    }
  }

  @Test
  void an_unreachable_store_is_unavailable_after_three_tries() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (SignedTransfers transfers = transfers(URI.create("http://127.0.0.1:" + closedPort))) {
      assertThatThrownBy(
              () ->
                  transfers.put(
                      "k", () -> BodyPublishers.ofByteArray(BODY), BODY.length, "image/png"))
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageStartingWith("object storage failed to store k after 3 tries: ")
          .hasCauseInstanceOf(java.net.ConnectException.class);
    }
  }
}
