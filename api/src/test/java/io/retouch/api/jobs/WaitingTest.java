package io.retouch.api.jobs;

import static io.retouch.api.support.Requests.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.api.waiting.JobWaiters;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.TokenUsage;
import io.retouch.common.storage.ObjectStore;
import io.retouch.common.storage.StorageKeys;
import io.retouch.db.job.Claim;
import io.retouch.db.job.JobStore;
import io.retouch.db.job.NewOutput;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Synchronous submissions and long-polls are answered when the job finishes. No worker runs here:
 * the test plays the worker through the job store, whose commit notification must wake the waiter.
 */
class WaitingTest extends ApiIntegrationTest {

  private static final byte[] RESULT = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 1, 2};

  @Autowired JobStore jobs;
  @Autowired ObjectStore store;

  @Test
  void a_synchronous_submission_answers_200_with_urls_when_its_job_succeeds() throws Exception {
    CompletableFuture<Answer> submission = submitSync();
    UUID jobId = awaitQueuedJob();

    Claim claim = claimAsWorker(jobId);
    String key = StorageKeys.output(tenant.datasetId(), jobId, 0, "png");
    store.put(key, RESULT, "image/png");
    attempts.succeed(
        claim,
        List.of(new NewOutput(0, key, "image/png", RESULT.length, "x")),
        TokenUsage.unknown());

    Answer answer = submission.get();
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("TR-QueryID")).isEqualTo(jobId.toString());
    String url = answer.json().get("image_urls").get(0).asString();
    HttpResponse<byte[]> download =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(RESULT);
    assertThat(download.headers().firstValue("Content-Type")).contains("image/png");
  }

  @Test
  void a_synchronous_submission_whose_job_is_refused_answers_400_with_the_reason()
      throws Exception {
    CompletableFuture<Answer> submission = submitSync();
    UUID jobId = awaitQueuedJob();
    Claim claim = claimAsWorker(jobId);
    attempts.fail(
        claim, ErrorCode.OPENAI_REJECTED, "Your request was rejected by the safety system.");

    Answer answer = submission.get();
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.message()).contains("openai_rejected").contains("safety system");
  }

  @Test
  void a_bounded_wait_that_runs_out_answers_202_with_the_job_and_its_location() {
    Answer answer = api.post(EDIT, valid(), asOwner("Prefer", "wait=1"));
    assertThat(answer.status()).isEqualTo(202);
    String id = answer.json().get("id").asString();
    assertThat(answer.header("Location")).isEqualTo(EDIT + "/" + id);
    assertThat(answer.header("Preference-Applied")).isEqualTo("wait=1");
    assertThat(answer.json().get("status").asString()).isEqualTo("queued");
  }

  @Test
  void a_wait_that_runs_out_answers_with_the_job_as_it_is_now_not_as_it_was_accepted()
      throws Exception {
    CompletableFuture<Answer> submission =
        CompletableFuture.supplyAsync(() -> api.post(EDIT, valid(), asOwner("Prefer", "wait=5")));
    UUID jobId = awaitQueuedJob();
    claimAsWorker(jobId); // a worker takes the job while the request waits

    Answer answer = submission.get();

    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.json().get("id").asString()).isEqualTo(jobId.toString());
    assertThat(answer.json().get("status").asString()).isEqualTo("processing");
    assertThat(answer.json().get("started_at").isNull()).isFalse();
    assertThat(answer.json().get("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void preference_applied_echoes_the_wait_applied_which_sync_wait_caps() {
    UUID jobId = UUID.fromString(submitAsync().json().get("id").asString());
    attempts.fail(claimAsWorker(jobId), ErrorCode.OPENAI_UNAVAILABLE, "gave up");

    Answer capped = api.get(EDIT + "/" + jobId, asOwner("Prefer", "wait=9999"));
    Answer asked = api.get(EDIT + "/" + jobId, asOwner("Prefer", "wait=7"));

    assertThat(capped.header("Preference-Applied")).isEqualTo("wait=300");
    assertThat(asked.header("Preference-Applied")).isEqualTo("wait=7");
  }

  @Test
  void respond_async_answers_202_at_once_and_a_long_poll_returns_when_the_job_finishes()
      throws Exception {
    Answer accepted = submitAsync();
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.header("Preference-Applied")).isEqualTo("respond-async");
    UUID jobId = UUID.fromString(accepted.json().get("id").asString());

    CompletableFuture<Answer> poll =
        CompletableFuture.supplyAsync(
            () -> api.get(EDIT + "/" + jobId, asOwner("Prefer", "wait=60")));
    Claim claim = claimAsWorker(jobId);
    attempts.fail(claim, ErrorCode.OPENAI_UNAVAILABLE, "gave up");

    Answer answer = poll.get();
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("status").asString()).isEqualTo("failed");
    assertThat(answer.json().get("error").get("code").asString()).isEqualTo("openai_unavailable");
    assertThat(answer.json().get("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void once_shutdown_began_a_new_waiter_answers_at_once_instead_of_holding_the_drain() {
    UUID jobId = UUID.fromString(submitAsync().json().get("id").asString());
    JobWaiters stopping = new JobWaiters(jobs);
    stopping.releaseAll();

    var result =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30), () -> stopping.awaitTerminal(jobId, Duration.ofHours(1)));

    assertThat(result).isEmpty();
  }
}
