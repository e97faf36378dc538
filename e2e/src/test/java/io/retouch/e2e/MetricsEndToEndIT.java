package io.retouch.e2e;

import static io.retouch.e2e.TestImages.inline;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Prometheus can scrape both processes, and each shows the meters of what it did. */
class MetricsEndToEndIT {

  @Test
  void the_api_and_the_worker_each_show_their_side_of_a_job_in_their_scrape() throws Exception {
    Stack stack = Stack.get();
    var done =
        stack.api.submit(
            "{\"input_images\":[%s],\"prompt\":\"measure me\"}"
                .formatted(inline("in.png", TestImages.png(16, 16, Color.BLUE))));
    assertThat(done.status()).as("answered once the job succeeded").isEqualTo(200);

    String api = scrape(stack.api.base());
    String worker = scrape("http://127.0.0.1:" + stack.worker().httpPort());

    assertThat(api)
        .containsPattern("(?m)^retouch_jobs_submitted_total(\\{[^}]*\\})? [1-9]")
        .containsPattern("(?m)^retouch_queue_depth\\{queue=\"[^\"]+\\.jobs\\.edit\"\\} ")
        .containsPattern("(?m)^retouch_api_waiters(\\{[^}]*\\})? ")
        .contains("http_server_requests_seconds_count{");
    assertThat(worker)
        .containsPattern(
            "(?m)^retouch_jobs_finished_total\\{[^}]*status=\"succeeded\"[^}]*\\} [1-9]")
        .containsPattern(
            "(?m)^retouch_openai_edit_seconds_count\\{[^}]*outcome=\"success\"[^}]*\\} [1-9]")
        .contains("retouch_jobs_queue_wait_seconds_bucket{")
        .containsPattern("(?m)^retouch_queue_consumers\\{queue=\"[^\"]+\\.jobs\\.edit\"\\} [1-9]")
        .containsPattern("(?m)^retouch_outbox_backlog(\\{[^}]*\\})? ")
        .containsPattern(
            "(?m)^retouch_openai_model_usable\\{model=\"gpt-image-2.6-sunburst\"\\} 1");
  }

  private static String scrape(String base) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
