package io.retouch.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.common.job.TokenUsage;
import io.retouch.db.auth.Role;
import io.retouch.db.job.Claim;
import io.retouch.db.job.JobStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** POST /api/message/edit_image/{id}/cancel. No worker runs: the test plays it. */
class CancelTest extends ApiIntegrationTest {

  @Autowired JobStore jobs;

  private String accepted() {
    return submitAsync().json().get("id").asString();
  }

  private Answer cancel(String id, String key) {
    return api.post(
        EDIT + "/" + id + "/cancel",
        "",
        "Authorization",
        key,
        "TR-Dataset",
        tenant.datasetId().toString());
  }

  @Test
  void a_queued_job_is_canceled_at_once_and_canceling_again_is_harmless() {
    String id = accepted();

    Answer first = cancel(id, tenant.apiKey());
    Answer again = cancel(id, tenant.apiKey());

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().get("status").asString()).isEqualTo("canceled");
    assertThat(again.status()).isEqualTo(200);
    assertThat(attempts.claim(UUID.fromString(id), "w", Duration.ofMinutes(1), "m")).isEmpty();
  }

  @Test
  void a_processing_job_is_marked_and_answered_202() {
    String id = accepted();
    claimAsWorker(UUID.fromString(id));

    Answer answer = cancel(id, tenant.apiKey());

    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.json().get("status").asString()).isEqualTo("processing");
    assertThat(answer.json().get("cancel_requested_at").isNull()).isFalse();
  }

  @Test
  void a_finished_job_answers_409_with_its_state() {
    String id = accepted();
    Claim claim = claimAsWorker(UUID.fromString(id));
    attempts.succeed(claim, List.of(), TokenUsage.unknown());

    Answer answer = cancel(id, tenant.apiKey());

    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.message())
        .isEqualTo(
            "job " + id + " already succeeded; only queued or processing jobs can be canceled");
  }

  @Test
  void canceling_needs_an_admin_key_and_a_job_of_the_dataset() {
    String id = accepted();
    String read = installer.createKey(tenant.organizationId(), "viewer", Role.READ, Set.of(), null);
    assertThat(cancel(id, read).status()).isEqualTo(403);
    assertThat(cancel(UUID.randomUUID().toString(), tenant.apiKey()).status()).isEqualTo(404);
  }

  @Test
  void a_synchronous_waiter_of_a_canceled_job_gets_a_409() throws Exception {
    CompletableFuture<Answer> submission = submitSync();
    UUID jobId = awaitQueuedJob();

    cancel(jobId.toString(), tenant.apiKey());

    Answer answer = submission.get();
    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.message()).contains("was canceled");
  }
}
