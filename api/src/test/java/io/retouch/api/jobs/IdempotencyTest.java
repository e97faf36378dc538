package io.retouch.api.jobs;

import static io.retouch.api.support.Requests.image;
import static io.retouch.api.support.Requests.png;
import static io.retouch.api.support.Requests.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Idempotency-Key on submissions: one key, one job, per dataset and request. */
class IdempotencyTest extends ApiIntegrationTest {

  private Answer submit(String body, String key, String dataset, String... more) {
    String[] headers = new String[6 + more.length];
    headers[0] = "Authorization";
    headers[1] = tenant.apiKey();
    headers[2] = "TR-Dataset";
    headers[3] = dataset;
    headers[4] = "Idempotency-Key";
    headers[5] = key;
    System.arraycopy(more, 0, headers, 6, more.length);
    return api.post(EDIT, body, headers);
  }

  @Test
  void the_same_key_and_body_return_the_same_job_in_the_shape_of_the_mode_asked() {
    String key = "order-" + UUID.randomUUID();
    String dataset = tenant.datasetId().toString();
    long before = jobCount();

    Answer first = submit(valid(), key, dataset, "Prefer", "respond-async");
    // the same body formatted differently is the same request
    Answer again = submit(valid().replace(",", ", "), key, dataset, "Prefer", "respond-async");
    Answer bounded = submit(valid(), key, dataset, "Prefer", "wait=1");

    assertThat(first.status()).isEqualTo(202);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
    assertThat(again.header("Location")).isEqualTo(first.header("Location"));
    assertThat(bounded.status()).isEqualTo(202);
    assertThat(bounded.header("TR-QueryID")).isEqualTo(first.json().get("id").asString());
    assertThat(jobCount()).isEqualTo(before + 1);
  }

  @Test
  void the_same_key_with_another_body_is_a_422() {
    String key = "order-" + UUID.randomUUID();
    String dataset = tenant.datasetId().toString();
    submit(valid(), key, dataset, "Prefer", "respond-async");
    long before = jobCount();

    String other = "{\"input_images\":[" + image("a.png", png()) + "],\"prompt\":\"make it red\"}";
    Answer conflict = submit(other, key, dataset, "Prefer", "respond-async");

    assertThat(conflict.status()).isEqualTo(422);
    assertThat(conflict.message()).contains("Idempotency-Key " + key).contains("different request");
    assertThat(jobCount()).isEqualTo(before);
  }

  @Test
  void keys_are_scoped_to_the_dataset() {
    String key = "shared-" + UUID.randomUUID();
    UUID sibling = installer.createDataset(tenant.organizationId(), "sibling", null);

    Answer here = submit(valid(), key, tenant.datasetId().toString(), "Prefer", "respond-async");
    Answer there = submit(valid(), key, sibling.toString(), "Prefer", "respond-async");

    assertThat(there.status()).isEqualTo(202);
    assertThat(there.json().get("id")).isNotEqualTo(here.json().get("id"));
  }

  @Test
  void a_malformed_key_is_a_400() {
    Answer answer =
        submit(valid(), "x".repeat(256), tenant.datasetId().toString(), "Prefer", "respond-async");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.message()).contains("Idempotency-Key must be");
  }
}
