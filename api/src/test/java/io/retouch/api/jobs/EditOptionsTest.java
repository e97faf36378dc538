package io.retouch.api.jobs;

import static io.retouch.api.support.Requests.image;
import static io.retouch.api.support.Requests.png;
import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.api.support.Requests;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The parameters of today's models beyond Trieve's: taken, stored and shown on the job. */
class EditOptionsTest extends ApiIntegrationTest {

  private static final List<String> OPTIONS =
      List.of("output_format", "output_compression", "background", "input_fidelity", "complexity");

  @Test
  void options_the_model_takes_are_stored_and_shown_on_the_job() {
    String body =
        "{\"input_images\":["
            + image("a.png", png())
            + "],\"prompt\":\"cut it out\",\"size\":\"1536x864\",\"quality\":\"xhigh\","
            + "\"output_format\":\"webp\",\"output_compression\":80,\"background\":\"transparent\","
            + "\"complexity\":\"low\"}";

    Answer accepted = api.post(EDIT, body, asOwner("Prefer", "respond-async"));
    JsonNode job = api.get(EDIT + "/" + accepted.json().get("id").asString(), asOwner()).json();

    for (JsonNode shown : List.of(accepted.json(), job)) {
      assertThat(shown.get("model").asString()).isEqualTo("gpt-image-2.6-sunburst");
      assertThat(shown.get("size").asString()).isEqualTo("1536x864");
      assertThat(shown.get("quality").asString()).isEqualTo("xhigh");
      assertThat(shown.get("output_format").asString()).isEqualTo("webp");
      assertThat(shown.get("output_compression").asInt()).isEqualTo(80);
      assertThat(shown.get("background").asString()).isEqualTo("transparent");
      assertThat(shown.get("input_fidelity").isNull()).isTrue();
      assertThat(shown.get("complexity").asString()).isEqualTo("low");
    }
    assertThat(
            jdbc.sql("SELECT options::text FROM edit_jobs WHERE id = ?")
                .param(java.util.UUID.fromString(job.get("id").asString()))
                .query(String.class)
                .single())
        .contains("\"output_format\": \"webp\"");
  }

  @Test
  void a_request_with_only_trieves_fields_has_none_and_runs_on_the_default_model() {
    Answer accepted = api.post(EDIT, Requests.valid(), asOwner("Prefer", "respond-async"));

    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.json().get("model").asString()).isEqualTo("gpt-image-2.6-sunburst");
    assertThat(accepted.json().get("size").asString()).isEqualTo("1024x1024");
    assertThat(accepted.json().get("quality").asString()).isEqualTo("low");
    for (String option : OPTIONS) {
      assertThat(accepted.json().get(option).isNull()).as(option).isTrue();
    }
  }
}
