package io.retouch.e2e;

import static io.retouch.e2e.TestImages.readPng;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.retouch.e2e.ApiClient.Answer;
import java.awt.Color;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * URL inputs served by a local test server: fetched when private networks are allowed (the stack's
 * default for tests), refused, without a request, by a worker that does not allow them, and failed
 * as {@code invalid_input} by the worker when what they serve is no image, not the request's {@code
 * mime_type} or not the type of the other inputs (the API cannot see URL inputs' bytes).
 */
class UrlInputEndToEndIT {

  private static Stack stack;
  private static HttpServer images;
  private static final AtomicInteger hits = new AtomicInteger();
  private static final byte[] PHOTO = TestImages.png(80, 80, Color.MAGENTA);
  private static final byte[] JPEG_PHOTO = TestImages.jpeg(80, 80, Color.ORANGE);
  private static final byte[] PAGE =
      "<!doctype html><title>Not found</title><p>nothing here".getBytes(StandardCharsets.UTF_8);

  @BeforeAll
  static void serveImages() throws IOException {
    stack = Stack.get();
    images = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    images.createContext(
        "/photo.png",
        exchange -> {
          hits.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "image/png");
          exchange.sendResponseHeaders(200, PHOTO.length);
          exchange.getResponseBody().write(PHOTO);
          exchange.close();
        });
    serve("/photo.jpg", "image/jpeg", JPEG_PHOTO);
    serve("/page.html", "text/html; charset=utf-8", PAGE);
    images.start();
  }

  private static void serve(String path, String contentType, byte[] body) {
    images.createContext(
        path,
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", contentType);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
  }

  @AfterAll
  static void stopImages() {
    images.stop(0);
    // leave the stack's worker as the other tests expect it
    stack.useWorker(Map.of());
  }

  private static String urlBody() {
    return body(null, "photo.png");
  }

  /** A request whose inputs are the named files of the image server, in order. */
  private static String body(String mimeType, String... files) {
    String base = "http://127.0.0.1:" + images.getAddress().getPort() + "/";
    String inputs =
        Arrays.stream(files)
            .map(file -> TestImages.url(file, base + file))
            .collect(Collectors.joining(","));
    String type = mimeType == null ? "" : ",\"mime_type\":\"" + mimeType + "\"";
    return "{\"input_images\":[" + inputs + "],\"prompt\":\"frame it\"" + type + "}";
  }

  /**
   * Submits synchronously a request the worker must fail as invalid_input before calling the model.
   *
   * @return the failed job as GET returns it
   */
  private static JsonNode failedAsInvalidInput(String body) {
    stack.useWorker(Map.of());
    stack.openAi.reset();

    Answer answer = stack.api.submit(body);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("message").asString()).contains("invalid_input");
    JsonNode job = stack.api.job(answer.header("TR-QueryID")).json();
    assertThat(job.get("status").asString()).isEqualTo("failed");
    assertThat(job.get("error").get("code").asString()).isEqualTo("invalid_input");
    assertThat(stack.openAi.requests()).isEmpty();
    return job;
  }

  @Test
  void a_url_input_is_fetched_when_private_networks_are_allowed() {
    stack.useWorker(Map.of());
    stack.openAi.reset();
    int before = hits.get();
    Answer answer = stack.api.submit(urlBody());

    assertThat(answer.status()).isEqualTo(200);
    assertThat(hits.get()).isEqualTo(before + 1);
    assertThat(
            readPng(ApiClient.download(EditImageEndToEndIT.urls(answer.json()).getFirst()))
                .getWidth())
        .isEqualTo(1024);
    var sent = stack.openAi.requests().getFirst();
    assertThat(sent.images().getFirst().contentType()).isEqualTo("image/png");
    JsonNode job = stack.api.job(answer.header("TR-QueryID")).json();
    assertThat(job.get("input_images").get(0).get("bytes").asLong()).isEqualTo(PHOTO.length);
    assertThat(job.get("mime_type").isNull()).isTrue();
  }

  @Test
  void a_url_input_on_a_private_network_is_refused_when_not_allowed() {
    stack.useWorker(Map.of("RETOUCH_FETCH_ALLOW_PRIVATE_NETWORKS", "false"));
    int before = hits.get();

    Answer answer = stack.api.submit(urlBody());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("message").asString())
        .contains("input_fetch_refused")
        .contains("a Loopback address (127.0.0.0/8");
    assertThat(hits.get()).isEqualTo(before);
    JsonNode job = stack.api.job(answer.header("TR-QueryID")).json();
    assertThat(job.get("status").asString()).isEqualTo("failed");
    assertThat(job.get("error").get("code").asString()).isEqualTo("input_fetch_refused");
  }

  @Test
  void a_url_serving_no_image_fails_the_job_as_invalid_input_naming_the_input() {
    JsonNode job = failedAsInvalidInput(body(null, "page.html"));

    assertThat(job.get("error").get("message").asString())
        .contains("input_images[0] (page.html)")
        .contains("is not a PNG, JPEG or WEBP image");
  }

  @Test
  void a_url_serving_another_type_than_the_mime_type_fails_the_job_as_invalid_input() {
    JsonNode job = failedAsInvalidInput(body("image/jpeg", "photo.png"));

    assertThat(job.get("error").get("message").asString())
        .contains("input_images[0] (photo.png) is image/png")
        .contains("mime_type is image/jpeg");
    assertThat(job.get("mime_type").asString()).isEqualTo("image/jpeg");
    assertThat(job.get("input_images").get(0).get("mime_type").asString()).isEqualTo("image/png");
  }

  @Test
  void url_inputs_of_two_types_fail_the_job_as_invalid_input() {
    JsonNode job = failedAsInvalidInput(body(null, "photo.png", "photo.jpg"));

    assertThat(job.get("error").get("message").asString())
        .contains("input_images[1] is image/jpeg but input_images[0] is image/png");
  }
}
