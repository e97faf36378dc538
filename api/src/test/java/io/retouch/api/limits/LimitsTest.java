package io.retouch.api.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.common.storage.ObjectStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The per-key request rate and the per-dataset bound on queued plus running jobs: a 429 with {@code
 * Retry-After} and the RateLimit headers, a message naming the limit, and nothing stored.
 */
@TestPropertySource(properties = {"retouch.limits.key-burst=3", "retouch.limits.key-rate=0.01"})
class LimitsTest extends ApiIntegrationTest {

  @Autowired ObjectStore store;

  @Test
  void a_key_over_its_rate_gets_429_with_the_ratelimit_headers_and_nothing_is_stored() {
    Answer first = api.get(EDIT, asOwner());
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("RateLimit-Policy")).isEqualTo("\"key\";q=3;w=300");
    assertThat(first.header("RateLimit")).startsWith("\"key\";r=2;t=");
    assertThat(api.get(EDIT, asOwner()).header("RateLimit")).startsWith("\"key\";r=1;");
    assertThat(api.get(EDIT, asOwner()).header("RateLimit")).startsWith("\"key\";r=0;");

    Answer refused = submitAsync();

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.message()).contains("over its request rate", "retouch.limits.key-rate");
    // one token per 100 s at 0.01/s
    assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(90L, 100L);
    assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"key\";q=3;w=300");
    assertThat(refused.header("RateLimit")).matches("\"key\";r=0;t=(9\\d|100)");
    assertThat(jobsOfTenant()).isZero();
    assertThat(store.list("inputs/" + tenant.datasetId() + "/")).isEmpty();
  }

  @Test
  void a_dataset_at_its_limit_of_active_jobs_gets_429_and_nothing_is_stored() {
    jdbc.sql("UPDATE datasets SET max_active = 1 WHERE id = ?").param(tenant.datasetId()).update();
    assertThat(submitAsync().status()).isEqualTo(202);

    Answer refused = submitAsync();

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.message())
        .contains("already has 1 queued or running jobs", "retouch.limits.dataset-max-active");
    assertThat(refused.header("Retry-After")).isNotBlank();
    assertThat(refused.header("RateLimit-Policy"))
        .isEqualTo("\"dataset-active\";q=1;qu=\"concurrent-requests\"");
    assertThat(refused.header("RateLimit")).startsWith("\"dataset-active\";r=0;t=");
    assertThat(jobsOfTenant()).isEqualTo(1);
    assertThat(store.list("inputs/" + tenant.datasetId() + "/")).hasSize(1);
  }

  private long jobsOfTenant() {
    return jdbc.sql("SELECT count(*) FROM edit_jobs WHERE dataset_id = ?")
        .param(tenant.datasetId())
        .query(Long.class)
        .single();
  }
}
