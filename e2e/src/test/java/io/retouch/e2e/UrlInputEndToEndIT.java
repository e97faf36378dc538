package io.retouch.e2e;

import static io.retouch.e2e.TestImages.readPng;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.retouch.e2e.ApiClient.Answer;
import java.awt.Color;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * URL inputs served by a local test server: fetched when private networks are allowed (the stack's
 * default for tests), refused, without a request, by a worker that does not allow them.
 */
class UrlInputEndToEndIT {

  private static Stack stack;
  private static HttpServer images;
  private static final AtomicInteger hits = new AtomicInteger();
  private static final byte[] PHOTO = TestImages.png(80, 80, Color.MAGENTA);

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
    images.start();
  }

  @AfterAll
  static void stopImages() {
    images.stop(0);
    // leave the stack's worker as the other tests expect it
    stack.useWorker(Map.of());
  }

  private static String urlBody() {
    String url = "http://127.0.0.1:" + images.getAddress().getPort() + "/photo.png";
    return "{\"input_images\":[" + TestImages.url("photo.png", url) + "],\"prompt\":\"frame it\"}";
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
        .contains("loopback address");
    assertThat(hits.get()).isEqualTo(before);
    JsonNode job = stack.api.job(answer.header("TR-QueryID")).json();
    assertThat(job.get("status").asString()).isEqualTo("failed");
    assertThat(job.get("error").get("code").asString()).isEqualTo("input_fetch_refused");
  }
}
