package io.retouch.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.bootstrap.Installation;
import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.api.support.Requests;
import io.retouch.db.auth.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** /api/webhooks: endpoints of a dataset, their secrets, the delivery log and replays. */
class WebhookApiTest extends ApiIntegrationTest {

  private static final String HOOKS = "/api/webhooks";

  private Answer create(String body) {
    return api.post(HOOKS, body, asOwner());
  }

  private String createdId(String url) {
    Answer created = create("{\"url\":\"" + url + "\"}");
    assertThat(created.status()).isEqualTo(201);
    return created.json().get("id").asString();
  }

  private long endpointCount() {
    return jdbc.sql("SELECT count(*) FROM webhook_endpoints WHERE dataset_id = ?")
        .param(tenant.datasetId())
        .query(Long.class)
        .single();
  }

  @Test
  void an_endpoint_is_created_with_its_secret_then_read_changed_and_deleted() {
    Answer created =
        create(
            "{\"url\":\"https://hooks.example.com/retouch\",\"events\":[\"edit_image.succeeded\","
                + "\"edit_image.failed\"],\"description\":\"billing\"}");

    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").asString();
    assertThat(created.header("Location")).isEqualTo(HOOKS + "/" + id);
    assertThat(created.json().get("secret").asString()).startsWith("whsec_");
    assertThat(created.json().get("events").values())
        .extracting(n -> n.asString())
        .containsExactly("edit_image.succeeded", "edit_image.failed");
    assertThat(created.json().get("enabled").asBoolean()).isTrue();

    Answer read = api.get(HOOKS + "/" + id, asOwner());
    assertThat(read.json().get("secret").isNull()).as("shown once, and on GET …/secret").isTrue();
    assertThat(read.json().get("description").asString()).isEqualTo("billing");
    assertThat(api.get(HOOKS, asOwner()).json().get("endpoints")).hasSize(1);
    assertThat(api.get(HOOKS + "/" + id + "/secret", asOwner()).json().get("secret").asString())
        .isEqualTo(created.json().get("secret").asString());

    Answer patched =
        api.patch(
            HOOKS + "/" + id,
            "{\"url\":\"https://hooks.example.com/v2\",\"events\":null,\"enabled\":false}",
            asOwner());
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().get("url").asString()).isEqualTo("https://hooks.example.com/v2");
    assertThat(patched.json().get("events").isNull()).as("every type").isTrue();
    assertThat(patched.json().get("enabled").asBoolean()).isFalse();
    assertThat(patched.json().get("description").asString()).as("untouched").isEqualTo("billing");

    assertThat(api.delete(HOOKS + "/" + id, asOwner()).status()).isEqualTo(204);
    assertThat(api.get(HOOKS + "/" + id, asOwner()).status()).isEqualTo(404);
  }

  @Test
  void another_datasets_endpoint_is_not_found_and_a_read_key_cannot_manage_endpoints() {
    String id = createdId("https://hooks.example.com/a");
    Installation other = installer.install("Other", "pics", "pics-" + System.nanoTime());
    String[] asOther = {
      "Authorization", other.apiKey(), "TR-Dataset", other.datasetId().toString()
    };

    assertThat(api.get(HOOKS + "/" + id, asOther).status()).isEqualTo(404);
    assertThat(api.get(HOOKS + "/" + id + "/secret", asOther).status()).isEqualTo(404);
    assertThat(api.patch(HOOKS + "/" + id, "{\"enabled\":false}", asOther).status()).isEqualTo(404);
    assertThat(api.post(HOOKS + "/" + id + "/rotate-secret", "", asOther).status()).isEqualTo(404);
    assertThat(api.get(HOOKS + "/" + id + "/deliveries", asOther).status()).isEqualTo(404);
    assertThat(api.delete(HOOKS + "/" + id, asOther).status()).isEqualTo(404);
    assertThat(api.get(HOOKS, asOther).json().get("endpoints")).isEmpty();

    String read = installer.createKey(tenant.organizationId(), "viewer", Role.READ, Set.of(), null);
    assertThat(
            api.get(HOOKS, "Authorization", read, "TR-Dataset", tenant.datasetId().toString())
                .status())
        .isEqualTo(403);
    assertThat(api.get(HOOKS + "/" + id, asOwner()).json().get("enabled").asBoolean()).isTrue();
  }

  @Test
  void bad_bodies_are_a_400_naming_the_problem_and_create_nothing() {
    record Case(String body, String message) {}
    List<Case> cases =
        List.of(
            new Case(
                "{\"url\":\"http://127.0.0.1:8080/hook\"}",
                "url: 127.0.0.1 is a Loopback address (127.0.0.0/8, RFC1122); webhooks go to"
                    + " public addresses only"),
            new Case("{\"url\":\"http://169.254.169.254/\"}", "Link Local"),
            new Case("{\"url\":\"ftp://hooks.example.com/\"}", "url must be an absolute http"),
            new Case("{}", "url is required"),
            new Case(
                "{\"url\":\"https://hooks.example.com/\",\"evnts\":[]}",
                "evnts is not a field of a webhook endpoint"),
            new Case(
                "{\"url\":\"https://hooks.example.com/\",\"events\":[]}",
                "events must name at least one event type"),
            new Case(
                "{\"url\":\"https://hooks.example.com/\",\"events\":[\"job.done\"]}",
                "events[0] is not an event type"),
            new Case(
                "{\"url\":\"https://hooks.example.com/\",\"enabled\":\"yes\"}",
                "enabled must be true or false"),
            new Case("[1]", "the request body must be a JSON object"));

    for (Case c : cases) {
      Answer answer = create(c.body());
      assertThat(answer.status()).as(c.body()).isEqualTo(400);
      assertThat(answer.message()).as(c.body()).contains(c.message());
    }
    assertThat(endpointCount()).isZero();
  }

  @Test
  void rotating_keeps_the_old_secret_signing_for_24_hours() {
    String id = createdId("https://hooks.example.com/r");
    String old = api.get(HOOKS + "/" + id + "/secret", asOwner()).json().get("secret").asString();

    Answer rotated = api.post(HOOKS + "/" + id + "/rotate-secret", "", asOwner());

    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.json().get("secret").asString()).startsWith("whsec_").isNotEqualTo(old);
    assertThat(rotated.json().get("previous_secret").asString()).isEqualTo(old);
    Instant expires = Instant.parse(rotated.json().get("previous_secret_expires_at").asString());
    assertThat(Duration.between(Instant.now(), expires))
        .isBetween(Duration.ofHours(23), Duration.ofHours(24));
  }

  @Test
  void a_submission_names_its_own_webhook_and_filter_and_the_job_shows_them() {
    String secret = api.get(HOOKS + "/default-secret", asOwner()).json().get("secret").asString();
    String body =
        Requests.valid()
            .replaceFirst(
                "\\}$",
                ",\"webhook\":\"https://hooks.example.com/job\","
                    + "\"webhook_events_filter\":[\"edit_image.processing\",\"edit_image.succeeded\"]}");

    Answer accepted = api.post(EDIT, body, asOwner("Prefer", "respond-async"));

    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.json().get("webhook").asString())
        .isEqualTo("https://hooks.example.com/job");
    assertThat(accepted.json().get("webhook_events_filter").values())
        .extracting(n -> n.asString())
        .containsExactly("edit_image.processing", "edit_image.succeeded");
    assertThat(api.get(HOOKS + "/default-secret", asOwner()).json().get("secret").asString())
        .as("one default secret per dataset")
        .isEqualTo(secret);
    Answer plain = submitAsync();
    assertThat(plain.json().get("webhook").isNull()).isTrue();

    String job = accepted.json().get("id").asString();
    String log = EDIT + "/" + job + "/webhook-deliveries";
    assertThat(api.get(log, asOwner()).json().get("deliveries"))
        .as("queued is not in its filter")
        .isEmpty();
    claimAsWorker(java.util.UUID.fromString(job));
    Answer deliveries = api.get(log, asOwner());
    assertThat(deliveries.json().get("deliveries")).hasSize(1);
    assertThat(deliveries.json().get("deliveries").get(0).get("event_type").asString())
        .isEqualTo("edit_image.processing");
    assertThat(
            api.get(
                    EDIT + "/" + plain.json().get("id").asString() + "/webhook-deliveries",
                    "Authorization",
                    installer.createKey(
                        tenant.organizationId(), "viewer", Role.READ, Set.of(), null),
                    "TR-Dataset",
                    tenant.datasetId().toString())
                .status())
        .isEqualTo(403);
  }

  @Test
  void a_submission_with_a_refused_webhook_is_a_400_and_records_no_job() {
    long before = jobCount();
    String body = Requests.valid().replaceFirst("\\}$", ",\"webhook\":\"http://10.0.0.1/hook\"}");

    Answer answer = api.post(EDIT, body, asOwner("Prefer", "respond-async"));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.message()).contains("webhook: 10.0.0.1 is a Private-Use");
    assertThat(jobCount()).isEqualTo(before);
  }

  @Test
  void the_delivery_log_shows_each_delivery_and_redeliver_and_replay_send_again() {
    String id = createdId("https://hooks.example.com/log");
    Instant since = Instant.now().minusSeconds(1);
    submitAsync();

    Answer log = api.get(HOOKS + "/" + id + "/deliveries", asOwner());
    assertThat(log.status()).isEqualTo(200);
    assertThat(log.json().get("deliveries")).hasSize(1);
    var delivery = log.json().get("deliveries").get(0);
    assertThat(delivery.get("event_type").asString()).isEqualTo("edit_image.queued");
    assertThat(delivery.get("status").asString()).isEqualTo("pending");
    assertThat(delivery.get("attempts")).isEmpty();

    Answer again =
        api.post(
            HOOKS + "/deliveries/" + delivery.get("id").asLong() + "/redeliver", "", asOwner());
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().get("origin").asString()).isEqualTo("redeliver");
    assertThat(again.json().get("event_id").asLong()).isEqualTo(delivery.get("event_id").asLong());

    Answer replay =
        api.post(HOOKS + "/" + id + "/replay", "{\"since\":\"" + since + "\"}", asOwner());
    assertThat(replay.status()).isEqualTo(202);
    assertThat(replay.json().get("deliveries").asInt()).isEqualTo(1);

    Answer page = api.get(HOOKS + "/" + id + "/deliveries?limit=2&status=pending", asOwner());
    assertThat(page.json().get("deliveries")).hasSize(2);
    String cursor = page.json().get("next_cursor").asString();
    Answer rest = api.get(HOOKS + "/" + id + "/deliveries?limit=2&cursor=" + cursor, asOwner());
    assertThat(rest.json().get("deliveries")).hasSize(1);
    assertThat(rest.json().get("next_cursor").isNull()).isTrue();

    assertThat(
            api.post(HOOKS + "/" + id + "/replay", "{\"since\":\"yesterday\"}", asOwner())
                .message())
        .contains("since must be an RFC 3339 time");
    assertThat(api.get(HOOKS + "/" + id + "/deliveries?status=lost", asOwner()).message())
        .contains("status must be one of pending, delivered");
    assertThat(api.post(HOOKS + "/deliveries/999999999/redeliver", "", asOwner()).status())
        .isEqualTo(404);
  }
}
