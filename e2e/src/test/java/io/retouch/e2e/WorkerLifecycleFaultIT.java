package io.retouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retouch.testkit.process.AppProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown and cancellation through real processes: SIGTERM lets a worker's job finish
 * within the grace period (10 s here) and hands back one that would not; SIGTERM on the API answers
 * the requests waiting for jobs before it stops; a cancel stops a running job without uploading
 * anything.
 */
class WorkerLifecycleFaultIT {

  private static Stack stack;

  @BeforeAll
  static void up() {
    stack = Stack.faulty();
  }

  @BeforeEach
  void twoWorkers() {
    stack.openAi.reset();
    while (stack.workers().size() < 2) {
      stack.startWorker(Map.of());
    }
  }

  private UUID submitAsync(String prompt) {
    return UUID.fromString(
        stack.api.submit(Load.body(prompt), "Prefer", "respond-async").json().get("id").asString());
  }

  private static String owner(UUID id) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                (String)
                    Database.single(
                        "SELECT CASE WHEN status = 'processing' THEN lease_owner END FROM edit_jobs WHERE id = ?",
                        id),
            o -> o != null);
  }

  private AppProcess process(String workerId) {
    return stack.workers().stream()
        .filter(w -> w.name().equals(workerId))
        .findFirst()
        .orElseThrow();
  }

  private static String status(UUID id) {
    return (String) Database.single("SELECT status FROM edit_jobs WHERE id = ?", id);
  }

  @Test
  void sigterm_lets_a_running_job_finish_within_the_grace_period() {
    stack.openAi.setLatency(Duration.ofMillis(1500));
    UUID id = submitAsync("finish me");
    AppProcess worker = process(owner(id));

    worker.terminate();
    worker.awaitExit(Duration.ofSeconds(60));
    stack.forget(worker);

    assertThat(status(id)).isEqualTo("succeeded");
    assertThat(Database.single("SELECT attempts FROM edit_jobs WHERE id = ?", id)).isEqualTo(1);
  }

  @Test
  void sigterm_hands_back_a_job_that_outlasts_the_grace_period() {
    stack.openAi.setLatency(Duration.ofSeconds(40));
    UUID id = submitAsync("hand me back");
    AppProcess worker = process(owner(id));
    // the model call must be under way (with the long latency) before the worker is told to stop
    await().atMost(Duration.ofSeconds(30)).until(() -> stack.openAi.inFlight() == 1);

    worker.terminate();
    stack.openAi.setLatency(Duration.ofMillis(100));
    worker.awaitExit(Duration.ofSeconds(60));
    stack.forget(worker);

    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("succeeded"));
    List<List<Object>> attempts =
        Database.query(
            "SELECT worker_id, outcome, error_message FROM job_attempts WHERE job_id = ? ORDER BY attempt",
            id);
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get(0)).isEqualTo(worker.name());
    assertThat(attempts.get(0).get(1)).isEqualTo("lost");
    assertThat((String) attempts.get(0).get(2)).contains("shut down");
    assertThat(attempts.get(1).get(1)).isEqualTo("succeeded");
  }

  @Test
  void sigterm_on_the_api_answers_a_waiting_request_before_it_stops() throws Exception {
    stack.openAi.setLatency(Duration.ofSeconds(8));
    var waiting =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> stack.api.submit(Load.body("wait for me")));
    UUID id =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    Database.query(
                            "SELECT id FROM edit_jobs WHERE prompt = 'wait for me' AND status = 'processing'")
                        .stream()
                        .map(r -> (UUID) r.getFirst())
                        .findFirst()
                        .orElse(null),
                found -> found != null);

    ApiClient.Answer answer;
    try {
      stack.apiProcess().terminate();
      answer = waiting.get();
      stack.apiProcess().awaitExit(Duration.ofSeconds(60));
    } finally {
      stack.restartApi();
    }

    assertThat(answer.status()).as("a drained request answers with the job").isEqualTo(202);
    assertThat(answer.json().get("id").asString()).isEqualTo(id.toString());
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("succeeded"));
  }

  @Test
  void a_cancel_during_processing_ends_the_job_canceled_with_nothing_uploaded() {
    stack.openAi.setLatency(Duration.ofSeconds(3));
    UUID id = submitAsync("cancel me");
    owner(id);

    ApiClient.Answer answer = stack.api.cancel(id.toString());

    assertThat(answer.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("canceled"));
    assertThat(Database.single("SELECT count(*) FROM job_outputs WHERE job_id = ?", id))
        .isEqualTo(0L);
    assertThat(
            Database.single(
                "SELECT outcome FROM job_attempts WHERE job_id = ? ORDER BY attempt DESC LIMIT 1",
                id))
        .isEqualTo("canceled");
    try (var s3 = Reconciliation.s3(stack)) {
      String prefix = "outputs/" + stack.tenant.datasetId() + "/" + id + "/";
      assertThat(s3.listObjectsV2(b -> b.bucket(Stack.BUCKET).prefix(prefix)).keyCount()).isZero();
    }
  }
}
