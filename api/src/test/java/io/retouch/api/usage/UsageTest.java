package io.retouch.api.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.TokenUsage;
import io.retouch.db.job.Claim;
import io.retouch.db.job.NewOutput;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/usage}: per-period and total usage that match the sum over the jobs. */
@TestPropertySource(
    properties = {
      "retouch.usage.prices[0].model=gpt-image-2.6-flare",
      "retouch.usage.prices[0].input-per-million=10",
      "retouch.usage.prices[0].output-per-million=40"
    })
class UsageTest extends ApiIntegrationTest {

  @Test
  void totals_match_the_sum_over_the_datasets_finished_jobs_and_are_priced_by_model() {
    succeed(job(), "gpt-image-2", 2, new TokenUsage(1_000, 4_000, 5_000));
    succeed(job(), "gpt-image-2-2026-04-21", 1, new TokenUsage(500, 2_000, 2_500));
    succeed(job(), "gpt-image-2.6-flare", 3, new TokenUsage(2_000, 10_000, 12_000));
    attempts.fail(claim(job(), "gpt-image-2"), ErrorCode.OPENAI_REJECTED, "refused");
    api.post(EDIT + "/" + job() + "/cancel", "", asOwner());
    job(); // still queued: not finished, not counted

    Answer answer = api.get("/api/usage?granularity=hour", asOwner());

    assertThat(answer.status()).isEqualTo(200);
    JsonNode total = answer.json().get("total");
    assertThat(total.get("jobs").get("succeeded").asLong()).isEqualTo(3);
    assertThat(total.get("jobs").get("failed").asLong()).isEqualTo(1);
    assertThat(total.get("jobs").get("canceled").asLong()).isEqualTo(1);
    assertThat(total.get("images").asLong())
        .isEqualTo(sumOver("(SELECT count(*) FROM job_outputs o WHERE o.job_id = j.id)"));
    assertThat(total.get("images").asLong()).isEqualTo(6);
    assertThat(total.get("input_tokens").asLong())
        .isEqualTo(sumOver("coalesce(j.input_tokens, 0)"));
    assertThat(total.get("output_tokens").asLong())
        .isEqualTo(sumOver("coalesce(j.output_tokens, 0)"));
    // gpt-image-2 (and its snapshot) at 8 + 30, the configured 2.6-flare at 10 + 40 per million
    assertThat(total.get("estimated_cost").decimalValue())
        .isEqualByComparingTo(
            new BigDecimal("0.0015")
                .multiply(BigDecimal.valueOf(8))
                .add(new BigDecimal("0.006").multiply(BigDecimal.valueOf(30)))
                .add(new BigDecimal("0.02"))
                .add(new BigDecimal("0.4")));
    assertThat(answer.json().get("currency").asString()).isEqualTo("USD");
    assertThat(answer.json().get("unpriced_models")).isEmpty();
    JsonNode periods = answer.json().get("periods");
    assertThat(periods).isNotEmpty();
    long periodImages = 0;
    for (JsonNode period : periods) {
      periodImages += period.get("usage").get("images").asLong();
    }
    assertThat(periodImages).as("periods add up to the total").isEqualTo(6);
  }

  @Test
  void a_model_without_a_price_is_named_and_leaves_the_cost_unknown() {
    succeed(job(), "gpt-image-9", 1, new TokenUsage(10, 10, 20));

    Answer answer = api.get("/api/usage", asOwner());

    assertThat(answer.json().get("unpriced_models").get(0).asString()).isEqualTo("gpt-image-9");
    assertThat(answer.json().get("total").get("estimated_cost").isNull()).isTrue();
  }

  @Test
  void bad_parameters_are_400s_naming_them() {
    assertThat(api.get("/api/usage?granularity=week", asOwner()).message())
        .isEqualTo("granularity must be day or hour");
    assertThat(api.get("/api/usage?from=yesterday", asOwner()).message())
        .contains("from must be an RFC 3339 time");
    assertThat(
            api.get("/api/usage?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", asOwner())
                .status())
        .isEqualTo(400);
    assertThat(
            api.get(
                    "/api/usage?granularity=hour&from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z",
                    asOwner())
                .message())
        .contains("at most 744 periods");
  }

  private UUID job() {
    return UUID.fromString(submitAsync().json().get("id").asString());
  }

  private Claim claim(UUID id, String model) {
    return attempts.claim(id, "test-worker", Duration.ofMinutes(1), model).orElseThrow();
  }

  private void succeed(UUID id, String model, int images, TokenUsage usage) {
    Claim claim = claim(id, model);
    List<NewOutput> outputs =
        java.util.stream.IntStream.range(0, images)
            .mapToObj(
                i -> new NewOutput(i, "outputs/" + id + "/" + i + ".png", "image/png", 1, "x"))
            .toList();
    attempts.succeed(claim, outputs, usage);
  }

  private long sumOver(String expression) {
    return jdbc.sql(
            "SELECT coalesce(sum("
                + expression
                + "), 0) FROM edit_jobs j WHERE j.dataset_id = ? AND j.finished_at IS NOT NULL")
        .param(tenant.datasetId())
        .query(Long.class)
        .single();
  }
}
