package io.retouch.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.api.support.SseClient;
import io.retouch.api.support.SseClient.Received;
import io.retouch.common.job.ErrorCode;
import io.retouch.db.job.Claim;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-Sent Events through a real SSE client: a job's stream, the dataset's stream, and a
 * reconnect with {@code Last-Event-ID} that misses and repeats nothing. The test plays the worker.
 */
@TestPropertySource(properties = "retouch.api.event-keep-alive=1s")
class EventStreamTest extends ApiIntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired EventStreams streams;

  private SseClient connect(String path, String... headers) {
    String[] all = new String[headers.length + 4];
    all[0] = "Authorization";
    all[1] = tenant.apiKey();
    all[2] = "TR-Dataset";
    all[3] = tenant.datasetId().toString();
    System.arraycopy(headers, 0, all, 4, headers.length);
    return SseClient.connect("http://127.0.0.1:" + port + path, all);
  }

  private UUID submitted() {
    return UUID.fromString(submitAsync().json().get("id").asString());
  }

  @Test
  void a_job_stream_sends_every_event_of_the_job_then_ends() throws Exception {
    UUID id = submitted();
    try (SseClient client = connect(EDIT + "/" + id + "/events")) {
      Received queued = client.next(WAIT);
      Claim claim = claimAsWorker(id);
      Received processing = client.next(WAIT);
      attempts.fail(claim, ErrorCode.OPENAI_REJECTED, "refused");
      Received failed = client.next(WAIT);

      assertThat(List.of(queued, processing, failed))
          .extracting(Received::type)
          .containsExactly("edit_image.queued", "edit_image.processing", "edit_image.failed");
      assertThat(Long.parseLong(processing.id())).isGreaterThan(Long.parseLong(queued.id()));
      JsonNode event = JSON.readTree(failed.data());
      assertThat(event.get("id").asString()).isEqualTo(failed.id());
      assertThat(event.get("type").asString()).isEqualTo("edit_image.failed");
      assertThat(event.get("timestamp").asString()).endsWith("Z");
      assertThat(event.at("/data/id").asString()).isEqualTo(id.toString());
      assertThat(event.at("/data/status").asString()).isEqualTo("failed");
      assertThat(event.at("/data/error/code").asString()).isEqualTo("openai_rejected");
      assertThat(client.awaitEnd(WAIT)).as("the stream ends after the terminal event").isTrue();
    }
  }

  @Test
  void a_client_that_reconnects_with_last_event_id_misses_and_repeats_nothing() throws Exception {
    List<Received> seen = new ArrayList<>();
    UUID first;
    UUID second;
    String lastId;
    try (SseClient client = connect(EDIT + "/events")) {
      awaitOpen();
      first = submitted();
      second = submitted();
      seen.addAll(client.next(2, WAIT)); // both queued
      lastId = seen.getLast().id();
    }
    // while the client is away: more happens
    await().atMost(WAIT).until(() -> streams.size() == 0);
    Claim one = claimAsWorker(first);
    attempts.retryLater(one, ErrorCode.OPENAI_UNAVAILABLE, "503", java.time.Instant.now());
    Claim two = claimAsWorker(second);
    attempts.fail(two, ErrorCode.OPENAI_REJECTED, "refused");
    try (SseClient again = connect(EDIT + "/events", "Last-Event-ID", lastId)) {
      seen.addAll(again.next(4, WAIT));
      UUID third = submitted(); // and live ones follow the replayed ones
      seen.add(again.next(WAIT));

      List<Long> ids = seen.stream().map(r -> Long.parseLong(r.id())).toList();
      assertThat(ids).isSorted().doesNotHaveDuplicates();
      assertThat(new HashSet<>(ids)).isEqualTo(eventIdsOf(Set.of(first, second, third)));
      assertThat(seen)
          .extracting(Received::type)
          .containsExactly(
              "edit_image.queued",
              "edit_image.queued",
              "edit_image.processing",
              "edit_image.retrying",
              "edit_image.processing",
              "edit_image.failed",
              "edit_image.queued");
    }
  }

  @Test
  void the_dataset_stream_sends_only_the_types_asked_for() throws Exception {
    try (SseClient client = connect(EDIT + "/events?types=edit_image.canceled")) {
      awaitOpen();
      UUID kept = submitted();
      UUID canceled = submitted();
      api.post(EDIT + "/" + canceled + "/cancel", "", asOwner());

      Received only = client.next(WAIT);
      assertThat(only.type()).isEqualTo("edit_image.canceled");
      assertThat(JSON.readTree(only.data()).at("/data/id").asString())
          .isEqualTo(canceled.toString());
      assertThat(kept).isNotEqualTo(canceled);
    }
  }

  @Test
  void another_datasets_job_is_not_found_and_a_bad_last_event_id_is_refused() throws Exception {
    UUID id = submitted();
    var other = installer.install("Other", "theirs", "theirs-" + System.nanoTime());
    try (SseClient client =
        SseClient.connect(
            "http://127.0.0.1:" + port + EDIT + "/" + id + "/events",
            "Authorization",
            other.apiKey(),
            "TR-Dataset",
            other.datasetId().toString())) {
      assertThat(client.awaitEnd(WAIT)).isTrue();
      assertThat(client.status()).isEqualTo(404);
    }
    try (SseClient client = connect(EDIT + "/" + id + "/events", "Last-Event-ID", "yesterday")) {
      assertThat(client.awaitEnd(WAIT)).isTrue();
      assertThat(client.status()).isEqualTo(400);
    }
    try (SseClient client = connect(EDIT + "/events?types=edit_image.exploded")) {
      assertThat(client.awaitEnd(WAIT)).isTrue();
      assertThat(client.status()).isEqualTo(400);
    }
  }

  @Test
  void an_idle_stream_gets_a_keep_alive_comment() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + EDIT + "/events"))
            .header("Authorization", tenant.apiKey())
            .header("TR-Dataset", tenant.datasetId().toString())
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<java.io.InputStream> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    try (var lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).startsWith(":");
    }
  }

  private void awaitOpen() {
    await().atMost(WAIT).until(() -> streams.size() > 0);
  }

  private Set<Long> eventIdsOf(Set<UUID> jobs) {
    return new HashSet<>(
        jdbc.sql("SELECT id FROM job_events WHERE job_id IN (:jobs)")
            .param("jobs", List.copyOf(jobs))
            .query(Long.class)
            .list());
  }
}
