package io.retouch.e2e;

import static io.retouch.e2e.TestImages.inline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retouch.testkit.process.AppProcess;
import java.awt.Color;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker configured with a model OpenAI shut down: caught at start (not ready, saying which
 * setting to change), taking no job rather than failing every one; once it runs a current model the
 * waiting job goes through.
 */
class ModelLifecycleEndToEndIT {

  private static Stack stack;

  @BeforeAll
  static void up() {
    stack = Stack.get();
  }

  @AfterAll
  static void back() {
    stack.useWorker(Map.of());
  }

  @Test
  void a_shut_down_model_is_caught_at_start_and_the_job_waits_for_a_usable_one() throws Exception {
    AppProcess worker =
        stack.useWorker(
            Map.of("RETOUCH_OPENAI_MODEL", "gpt-image-1", "RETOUCH_OPENAI_FALLBACKMODELS", ""));
    String editQueue = Broker.topology().editQueue();
    await().atMost(Duration.ofSeconds(30)).until(() -> Broker.consumers(editQueue) == 0);

    HttpResponse<String> readiness = get(worker.httpPort(), "/actuator/health/readiness");
    assertThat(readiness.statusCode()).isEqualTo(503);
    assertThat(readiness.body())
        .contains("retouch.openai.model (RETOUCH_OPENAI_MODEL) gpt-image-1 is not usable")
        .contains("takes no jobs");
    assertThat(get(worker.httpPort(), "/actuator/health/liveness").statusCode()).isEqualTo(200);

    var accepted =
        stack.api.submit(
            "{\"input_images\":[%s],\"prompt\":\"wait for a model\"}"
                .formatted(inline("in.png", TestImages.png(32, 32, Color.GREEN))),
            "Prefer",
            "respond-async");
    String id = accepted.json().get("id").asString();
    await().atMost(Duration.ofSeconds(30)).until(() -> Broker.depth(editQueue) == 1);
    assertThat(stack.api.job(id).json().get("status").asString()).isEqualTo("queued");

    AppProcess current = stack.useWorker(Map.of());

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> stack.api.job(id).json().get("status").asString().equals("succeeded"));
    assertThat(stack.api.job(id).json().get("model").asString())
        .isEqualTo("gpt-image-2.6-sunburst");
    HttpResponse<String> ready = get(current.httpPort(), "/actuator/health/readiness");
    assertThat(ready.statusCode()).isEqualTo(200);
    var components =
        tools.jackson.databind.json.JsonMapper.builder().build().readTree(ready.body());
    for (String component : java.util.List.of("openAiModels", "consumers", "db", "rabbit", "s3")) {
      assertThat(components.at("/components/" + component + "/status").asString())
          .as(component)
          .isEqualTo("UP");
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
