package io.retouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Signed webhooks through the packaged processes, to a receiver someone else could have written:
 * Node.js on the public {@code standardwebhooks} library, which answers 503 for a while, then is
 * down (connections refused) for two minutes while more jobs run, then comes back. It must end up
 * with every event of every job, each with a signature the library accepts, each job's events in
 * order.
 */
class WebhookEndToEndIT {

  private static final Duration DOWN = Duration.ofMinutes(2);

  private final Stack stack = Stack.get();

  @Test
  void a_receiver_on_the_standardwebhooks_library_gets_every_event_even_after_being_down()
      throws Exception {
    int port = Stack.freePort();
    ApiClient.Answer created =
        stack.api.post(
            "/api/webhooks",
            "{\"url\":\"http://127.0.0.1:%d/hooks/retouch\",\"description\":\"e2e\"}"
                .formatted(port));
    assertThat(created.status()).isEqualTo(201);
    String endpoint = created.json().get("id").asString();
    String secret = created.json().get("secret").asString();
    Load load = new Load(stack.api);
    try (NodeReceiver receiver = new NodeReceiver(port, secret).start()) {
      receiver.answer(503, Duration.ZERO);
      Load.awaitAccepted(load.submit(4, i -> "webhook " + i));
      await().atMost(Duration.ofSeconds(60)).until(() -> attemptsAnswered(endpoint, 503) >= 4);

      receiver.kill();
      List<Future<UUID>> whileDown = load.submit(4, i -> "webhook while down " + i);
      Load.awaitAccepted(whileDown);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> attemptsFailedWith(endpoint, "connection refused") >= 4);
      // the outage lasts this long by design (minutes, not seconds); nothing is asserted about
      // timing
      Thread.sleep(DOWN.toMillis());

      receiver.start();
      WebhookReconciliation result =
          WebhookReconciliation.of(
              "webhooks: receiver answering 503, then down for 2 minutes, then back",
              receiver,
              load.accepted,
              Duration.ofMinutes(2));

      assertThat(result.lost()).isZero();
      assertThat(result.rejected()).as("every signature verifies").isZero();
      assertThat(result.duplicatedIds()).isZero();
      assertThat(result.events()).isEqualTo(3 * 8);
      Map<String, List<String>> typesPerJob = new HashMap<>();
      for (NodeReceiver.Verified event : receiver.received().verified()) {
        typesPerJob.computeIfAbsent(event.job(), k -> new ArrayList<>()).add(event.type());
      }
      load.accepted.forEach(
          job ->
              assertThat(typesPerJob.get(job.toString()))
                  .as("the events of job " + job + ", in order")
                  .containsExactly(
                      "edit_image.queued", "edit_image.processing", "edit_image.succeeded"));
    } finally {
      load.close();
      stack.api.delete("/api/webhooks/" + endpoint);
    }
  }

  private long attemptsAnswered(String endpoint, int status) {
    return attempts(endpoint).stream()
        .filter(a -> a.get("http_status").isNumber() && a.get("http_status").asInt() == status)
        .count();
  }

  private long attemptsFailedWith(String endpoint, String error) {
    return attempts(endpoint).stream()
        .filter(a -> a.get("error").isString() && a.get("error").asString().contains(error))
        .count();
  }

  /** Every attempt of the endpoint's delivery log, through the API. */
  private List<JsonNode> attempts(String endpoint) {
    List<JsonNode> attempts = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          stack
              .api
              .get(
                  "/api/webhooks/"
                      + endpoint
                      + "/deliveries?limit=100"
                      + (cursor == null ? "" : "&cursor=" + cursor))
              .json();
      page.get("deliveries").forEach(d -> d.get("attempts").forEach(attempts::add));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
    } while (cursor != null);
    return attempts;
  }
}
