package io.retouch.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.common.job.ErrorCode;
import io.retouch.db.job.Claim;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A job waiting for a retry says when it is tried again, and why it waits. */
class RetryingJobTest extends ApiIntegrationTest {

  @Test
  void a_job_waiting_for_a_retry_shows_its_next_attempt_and_the_last_error() {
    String id = submitAsync().json().get("id").asString();
    Claim claim = claimAsWorker(UUID.fromString(id));
    Instant next = Instant.now().plusSeconds(90).truncatedTo(ChronoUnit.MILLIS);
    attempts.retryLater(claim, ErrorCode.OPENAI_UNAVAILABLE, "OpenAI answered 503", next);

    Answer job = api.get(EDIT + "/" + id, asOwner());

    assertThat(job.json().get("status").asString()).isEqualTo("queued");
    assertThat(Instant.parse(job.json().get("next_attempt_at").asString())).isEqualTo(next);
    assertThat(job.json().get("error").get("code").asString()).isEqualTo("openai_unavailable");
    assertThat(submitAsync().json().get("next_attempt_at").isNull())
        .as("a job not waiting for a retry has none")
        .isTrue();
  }
}
