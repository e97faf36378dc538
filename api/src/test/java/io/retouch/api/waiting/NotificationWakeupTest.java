package io.retouch.api.waiting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.common.job.ErrorCode;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * With the fallback re-check an hour away, a waiting request can only be answered by the Postgres
 * notification its job's commit sends: this is the wiring from {@code LISTEN} to the waiters.
 */
@TestPropertySource(properties = "retouch.api.wait-recheck=1h")
class NotificationWakeupTest extends ApiIntegrationTest {

  @Autowired JobWaiters waiters;

  @Test
  void a_long_poll_is_woken_by_the_commit_notification_not_by_the_fallback_recheck()
      throws Exception {
    UUID jobId = UUID.fromString(submitAsync().json().get("id").asString());
    CompletableFuture<Answer> poll =
        CompletableFuture.supplyAsync(
            () -> api.get(EDIT + "/" + jobId, asOwner("Prefer", "wait=600")));
    await().atMost(Duration.ofSeconds(20)).until(() -> waiters.size() == 1);

    attempts.fail(claimAsWorker(jobId), ErrorCode.OPENAI_REJECTED, "refused");

    // far below both the 600 s wait and the hourly re-check: only the notification can do it
    Answer answer = poll.get(60, TimeUnit.SECONDS);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("status").asString()).isEqualTo("failed");
  }
}
