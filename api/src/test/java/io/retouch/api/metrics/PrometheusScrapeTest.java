package io.retouch.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.common.job.TokenUsage;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code /actuator/prometheus} shows the job meters, the backlogs and the API's own gauges. */
class PrometheusScrapeTest extends ApiIntegrationTest {

  @Test
  void a_scrape_after_a_finished_job_shows_its_counters_histograms_and_the_gauges() {
    String id = submitAsync().json().get("id").asString();
    attempts.succeed(claimAsWorker(UUID.fromString(id)), List.of(), TokenUsage.unknown());

    Answer scrape = api.get("/actuator/prometheus");

    assertThat(scrape.status()).isEqualTo(200);
    assertThat(scrape.header("Content-Type")).startsWith("text/plain");
    assertThat(scrape.raw().body())
        .containsPattern("(?m)^retouch_jobs_submitted_total(\\{[^}]*\\})? [1-9]")
        .containsPattern(
            "(?m)^retouch_jobs_finished_total\\{[^}]*error_code=\"none\"[^}]*status=\"succeeded\"")
        .contains("retouch_jobs_duration_seconds_bucket{")
        .contains("retouch_jobs_queue_wait_seconds_bucket{")
        .containsPattern("(?m)^retouch_outbox_backlog(\\{[^}]*\\})? ")
        .containsPattern("(?m)^retouch_outbox_oldest_age(_seconds)?(\\{[^}]*\\})? ")
        .containsPattern("(?m)^retouch_events_unpublished(\\{[^}]*\\})? ")
        .containsPattern("(?m)^retouch_webhooks_backlog(\\{[^}]*\\})? ")
        .containsPattern("(?m)^retouch_queue_depth\\{queue=\"[^\"]+\\.jobs\\.edit\"\\} [0-9]")
        .containsPattern("(?m)^retouch_queue_consumers\\{queue=\"[^\"]+\\.jobs\\.edit\"\\} [0-9]")
        .containsPattern("(?m)^retouch_api_waiters(\\{[^}]*\\})? 0")
        .containsPattern("(?m)^retouch_events_streams(\\{[^}]*\\})? 0");
  }
}
