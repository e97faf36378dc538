package io.retouch.e2e;

import static io.retouch.e2e.TestImages.inline;
import static io.retouch.e2e.TestImages.readPng;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retouch.e2e.ApiClient.Answer;
import io.retouch.testkit.openai.ScriptedResponse;
import io.retouch.testkit.process.AppProcess;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The main path through the packaged apps: API + worker + fake OpenAI + S3 + Postgres + RabbitMQ.
 */
class EditImageEndToEndIT {

  private static Stack stack;
  private static final byte[] INPUT = TestImages.png(96, 64, new Color(30, 120, 200));

  @BeforeAll
  static void up() {
    stack = Stack.get();
  }

  @BeforeEach
  void cleanFake() {
    stack.openAi.reset();
  }

  private static String body(String prompt, String size, int n, String... images) {
    return "{\"input_images\":[%s],\"prompt\":\"%s\",\"size\":\"%s\",\"n\":%d}"
        .formatted(String.join(",", images), prompt, size, n);
  }

  @Test
  void sync_mode_answers_200_with_urls_that_download_as_pngs_of_the_requested_size() {
    Answer answer =
        stack.api.submit(body("make it warmer", "1536x1024", 1, inline("in.png", INPUT)));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("TR-QueryID")).isNotBlank();
    List<String> urls = urls(answer.json());
    assertThat(urls).hasSize(1);
    BufferedImage result = readPng(ApiClient.download(urls.getFirst()));
    assertThat(result.getWidth()).isEqualTo(1536);
    assertThat(result.getHeight()).isEqualTo(1024);
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}, background {1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "jpeg, opaque, image/jpeg, jpg, false",
    "webp, transparent, image/webp, webp, true",
    "png, transparent, image/png, png, true"
  })
  void output_formats_and_transparency_arrive_as_asked_with_their_type_and_extension(
      String format, String background, String type, String extension, boolean alpha)
      throws Exception {
    String body =
        "{\"input_images\":[%s],\"prompt\":\"cut it out\",\"size\":\"1536x864\","
                .formatted(inline("in.png", INPUT))
            + "\"output_format\":\"%s\",\"background\":\"%s\"}".formatted(format, background);

    Answer answer = stack.api.submit(body);

    assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
    String url = urls(answer.json()).getFirst();
    assertThat(java.net.URI.create(url).getPath()).endsWith("/0." + extension);
    var download = ApiClient.fetch(url);
    assertThat(download.headers().firstValue("Content-Type")).contains(type);
    BufferedImage image =
        javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(download.body()));
    assertThat(image.getWidth()).isEqualTo(1536);
    assertThat(image.getHeight()).isEqualTo(864);
    assertThat(image.getColorModel().hasAlpha()).isEqualTo(alpha);
    var sent = stack.openAi.requests().getFirst();
    assertThat(sent.fields()).containsEntry("output_format", format);
  }

  @Test
  void async_mode_answers_202_and_polling_reaches_succeeded() {
    Answer accepted =
        stack.api.submit(
            body("make it cooler", "1024x1536", 1, inline("in.png", INPUT)),
            "Prefer",
            "respond-async");
    assertThat(accepted.status()).isEqualTo(202);
    String id = accepted.json().get("id").asString();
    assertThat(accepted.header("Location")).isEqualTo("/api/message/edit_image/" + id);

    JsonNode job =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> stack.api.job(id).json(),
                j -> j.get("status").asString().equals("succeeded"));

    assertThat(job.get("attempts").asInt()).isEqualTo(1);
    assertThat(job.get("finished_at").isNull()).isFalse();
    BufferedImage result = readPng(ApiClient.download(urls(job).getFirst()));
    assertThat(result.getWidth()).isEqualTo(1024);
    assertThat(result.getHeight()).isEqualTo(1536);
  }

  @Test
  void two_inputs_with_n_3_give_three_outputs_from_one_model_call() throws Exception {
    byte[] second = TestImages.png(64, 64, Color.ORANGE);
    Answer answer =
        stack.api.submit(
            body("blend them", "1024x1024", 3, inline("a.png", INPUT), inline("b.png", second)));

    assertThat(answer.status()).isEqualTo(200);
    List<String> urls = urls(answer.json());
    assertThat(urls).hasSize(3).doesNotHaveDuplicates();
    for (String url : urls) {
      assertThat(readPng(ApiClient.download(url)).getWidth()).isEqualTo(1024);
    }
    var sent = stack.openAi.requests().getFirst();
    assertThat(sent.n()).isEqualTo(3);
    assertThat(sent.images())
        .hasSize(2)
        .allSatisfy(p -> assertThat(p.contentType()).isEqualTo("image/png"));
    assertThat(sent.images().get(1).sha256()).isEqualTo(sha256(second));
  }

  @Test
  void an_openai_refusal_fails_the_job_with_openais_message_and_sync_mode_answers_400() {
    stack.openAi.refusePromptsContaining("forbidden");
    Answer answer =
        stack.api.submit(body("something forbidden", "1024x1024", 1, inline("in.png", INPUT)));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("message").asString())
        .contains("openai_rejected")
        .contains("rejected as a result of our safety system");
    JsonNode job = stack.api.job(answer.header("TR-QueryID")).json();
    assertThat(job.get("status").asString()).isEqualTo("failed");
    assertThat(job.get("error").get("code").asString()).isEqualTo("openai_rejected");
    assertThat(job.get("attempts").asInt()).isEqualTo(1);
    assertThat(stack.openAi.requestCount()).isEqualTo(1);
  }

  @Test
  void two_rate_limits_in_a_row_are_retried_and_the_job_succeeds() {
    stack.openAi.enqueue(ScriptedResponse.rateLimited(Duration.ofSeconds(1)));
    stack.openAi.enqueue(ScriptedResponse.rateLimited(Duration.ofSeconds(1)));

    Answer answer = stack.api.submit(body("try again", "1024x1024", 1, inline("in.png", INPUT)));

    assertThat(answer.status()).isEqualTo(200);
    JsonNode job = stack.api.job(answer.header("TR-QueryID")).json();
    assertThat(job.get("status").asString()).isEqualTo("succeeded");
    assertThat(job.get("attempts").asInt()).isEqualTo(3);
    assertThat(job.get("error").isNull()).isTrue();
    assertThat(stack.openAi.requestCount()).isEqualTo(3);
    assertThat(
            Database.query(
                "SELECT outcome FROM job_attempts WHERE job_id = ? ORDER BY attempt",
                UUID.fromString(job.get("id").asString())))
        .extracting(row -> row.getFirst())
        .containsExactly("retry", "retry", "succeeded");
  }

  @Test
  void a_redelivered_message_for_a_finished_job_changes_nothing() throws Exception {
    Answer answer = stack.api.submit(body("once only", "1024x1024", 2, inline("in.png", INPUT)));
    assertThat(answer.status()).isEqualTo(200);
    UUID jobId = UUID.fromString(answer.header("TR-QueryID"));
    JsonNode before = stack.api.job(jobId.toString()).json();
    int callsBefore = stack.openAi.requestCount();
    List<List<Object>> outputsBefore =
        Database.query(
            "SELECT idx, s3_key, sha256 FROM job_outputs WHERE job_id = ? ORDER BY idx", jobId);

    Broker.publish(List.of(Broker.jobMessage(jobId), Broker.jobMessage(jobId)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> countOccurrences(stack.worker(), "job " + jobId + " is not claimable") >= 2);
    // acked, not requeued: a requeued copy would come back and be logged again
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Broker.depth(Broker.topology().editQueue()) == 0);
    assertThat(countOccurrences(stack.worker(), "job " + jobId + " is not claimable")).isEqualTo(2);

    JsonNode after = stack.api.job(jobId.toString()).json();
    assertThat(after.get("status").asString()).isEqualTo("succeeded");
    assertThat(after.get("attempts")).isEqualTo(before.get("attempts"));
    assertThat(after.get("finished_at")).isEqualTo(before.get("finished_at"));
    assertThat(stack.openAi.requestCount()).isEqualTo(callsBefore);
    assertThat(
            Database.query(
                "SELECT idx, s3_key, sha256 FROM job_outputs WHERE job_id = ? ORDER BY idx", jobId))
        .isEqualTo(outputsBefore);
  }

  @Test
  void the_bootstrap_key_is_stored_only_as_its_hash() throws Exception {
    String key = stack.tenant.apiKey();
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    assertThat(
            Database.single(
                "SELECT count(*) FROM api_keys WHERE encode(key_hash, 'hex') = ?", hash))
        .isEqualTo(1L);
    assertThat(
            Database.single(
                "SELECT count(*) FROM api_keys k WHERE position(? in row_to_json(k)::text) > 0",
                key))
        .isEqualTo(0L);
  }

  static List<String> urls(JsonNode json) {
    List<String> urls = new ArrayList<>();
    json.get("image_urls").forEach(u -> urls.add(u.asString()));
    return urls;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static long countOccurrences(AppProcess process, String text) {
    return process.countInLog(text);
  }
}
