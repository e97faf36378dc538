package io.retouch.api.auth;

import static io.retouch.api.support.Requests.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.db.auth.ApiKeyRepository;
import io.retouch.db.auth.DatasetRepository;
import io.retouch.db.auth.Role;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Trieve's authentication matrix on POST /api/message/edit_image. */
class AuthenticationTest extends ApiIntegrationTest {

  @Autowired ApiKeyRepository keys;
  @Autowired DatasetRepository datasets;

  private Answer submit(String... headers) {
    String[] all = new String[headers.length + 2];
    System.arraycopy(headers, 0, all, 0, headers.length);
    all[headers.length] = "Prefer";
    all[headers.length + 1] = "respond-async";
    return api.post(EDIT, valid(), all);
  }

  private String dataset() {
    return tenant.datasetId().toString();
  }

  private UUID datasetOf(Answer accepted) {
    return jdbc.sql("SELECT dataset_id FROM edit_jobs WHERE id = ?")
        .param(UUID.fromString(accepted.json().get("id").asString()))
        .query(UUID.class)
        .single();
  }

  @Test
  void bearer_key_and_dataset_id_are_accepted() {
    Answer answer = submit("Authorization", "Bearer " + tenant.apiKey(), "TR-Dataset", dataset());
    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.header("TR-QueryID")).isEqualTo(answer.json().get("id").asString());
  }

  @Test
  void a_raw_key_in_authorization_is_accepted() {
    assertThat(submit("Authorization", tenant.apiKey(), "TR-Dataset", dataset()).status())
        .isEqualTo(202);
  }

  @Test
  void the_x_api_key_header_is_accepted() {
    assertThat(submit("x-api-key", tenant.apiKey(), "TR-Dataset", dataset()).status())
        .isEqualTo(202);
  }

  @Test
  void a_tracking_id_with_its_organization_is_accepted() {
    UUID trackedDataset =
        installer.createDataset(tenant.organizationId(), "tracked", "tracked-photos");
    Answer answer =
        submit(
            "Authorization", tenant.apiKey(),
            "TR-Dataset", "tracked-photos",
            "TR-Organization", tenant.organizationId().toString());
    assertThat(answer.status()).isEqualTo(202);
    assertThat(datasetOf(answer)).isEqualTo(trackedDataset);
  }

  @Test
  void a_tracking_id_that_java_would_read_as_a_uuid_resolves_by_tracking_id() {
    // UUID.fromString reads "2024-01-02-03-04" as 00002024-0001-0002-0003-000000000004
    UUID dated = installer.createDataset(tenant.organizationId(), "dated", "2024-01-02-03-04");

    Answer withOrganization =
        submit(
            "Authorization", tenant.apiKey(),
            "TR-Dataset", "2024-01-02-03-04",
            "TR-Organization", tenant.organizationId().toString());
    Answer withoutOrganization =
        submit("Authorization", tenant.apiKey(), "TR-Dataset", "2024-01-02-03-04");

    assertThat(withOrganization.status()).isEqualTo(202);
    assertThat(datasetOf(withOrganization)).isEqualTo(dated);
    assertThat(withoutOrganization.status()).isEqualTo(400);
    assertThat(withoutOrganization.message())
        .isEqualTo("Using Dataset Tracking IDs requires providing the TR-Organization header");
  }

  @Test
  void the_simple_32_hex_digit_form_of_a_dataset_id_is_a_dataset_id() {
    String simple = dataset().replace("-", "");

    Answer lower = submit("Authorization", tenant.apiKey(), "TR-Dataset", simple);
    Answer upper =
        submit("Authorization", tenant.apiKey(), "TR-Dataset", simple.toUpperCase(Locale.ROOT));

    assertThat(lower.status()).isEqualTo(202);
    assertThat(datasetOf(lower)).isEqualTo(tenant.datasetId());
    assertThat(upper.status()).isEqualTo(202);
  }

  @Test
  void a_tracking_id_without_the_organization_header_is_a_400() {
    Answer answer = submit("Authorization", tenant.apiKey(), "TR-Dataset", "photos");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.message())
        .isEqualTo("Using Dataset Tracking IDs requires providing the TR-Organization header");
  }

  @Test
  void a_missing_key_is_a_401() {
    Answer answer = submit("TR-Dataset", dataset());
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.message()).contains("missing API key");
  }

  @Test
  void an_unknown_key_is_a_401() {
    Answer answer = submit("Authorization", "Bearer rt_not-a-key", "TR-Dataset", dataset());
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.message()).isEqualTo("invalid API key");
  }

  @Test
  void an_expired_key_is_a_401() {
    String expired =
        installer.createKey(
            tenant.organizationId(), "old", Role.ADMIN, Set.of(), Instant.now().minusSeconds(1));
    assertThat(submit("Authorization", expired, "TR-Dataset", dataset()).status()).isEqualTo(401);
  }

  @Test
  void a_revoked_key_is_a_401() {
    String key = installer.createKey(tenant.organizationId(), "gone", Role.ADMIN, Set.of(), null);
    var entity = keys.findByKeyHash(ApiKeys.hash(key)).orElseThrow();
    entity.revoke(Instant.now());
    keys.save(entity);
    assertThat(submit("Authorization", key, "TR-Dataset", dataset()).status()).isEqualTo(401);
  }

  @Test
  void a_key_restricted_to_other_datasets_is_a_401() {
    UUID other = installer.createDataset(tenant.organizationId(), "other", null);
    String key =
        installer.createKey(tenant.organizationId(), "narrow", Role.ADMIN, Set.of(other), null);
    Answer answer = submit("Authorization", key, "TR-Dataset", dataset());
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.message()).contains("may not be used with dataset");
    assertThat(submit("Authorization", key, "TR-Dataset", other.toString()).status())
        .isEqualTo(202);
  }

  @Test
  void a_read_key_may_look_but_not_submit() {
    String read = installer.createKey(tenant.organizationId(), "viewer", Role.READ, Set.of(), null);
    Answer answer = submit("Authorization", read, "TR-Dataset", dataset());
    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.message()).contains("admin role or higher");
    assertThat(api.get(EDIT, "Authorization", read, "TR-Dataset", dataset()).status())
        .isEqualTo(200);
  }

  @Test
  void an_admin_key_may_submit() {
    String admin = installer.createKey(tenant.organizationId(), "ops", Role.ADMIN, Set.of(), null);
    assertThat(submit("Authorization", admin, "TR-Dataset", dataset()).status()).isEqualTo(202);
  }

  @Test
  void an_unknown_dataset_is_a_404() {
    Answer answer =
        submit("Authorization", tenant.apiKey(), "TR-Dataset", UUID.randomUUID().toString());
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.message()).contains("not found");
  }

  @Test
  void a_deleted_dataset_is_a_404() {
    var dataset = datasets.findLive(tenant.datasetId()).orElseThrow();
    dataset.delete(Instant.now());
    datasets.save(dataset);
    assertThat(submit("Authorization", tenant.apiKey(), "TR-Dataset", dataset()).status())
        .isEqualTo(404);
  }

  @Test
  void a_dataset_of_another_organization_is_a_404() {
    var stranger = installer.install("Other Inc", "theirs", null);
    assertThat(
            submit("Authorization", tenant.apiKey(), "TR-Dataset", stranger.datasetId().toString())
                .status())
        .isEqualTo(404);
  }

  @Test
  void a_job_of_another_dataset_is_a_404_never_a_403() {
    Answer created = submit("Authorization", tenant.apiKey(), "TR-Dataset", dataset());
    String jobId = created.json().get("id").asString();
    UUID sibling = installer.createDataset(tenant.organizationId(), "sibling", null);

    Answer own =
        api.get(EDIT + "/" + jobId, "Authorization", tenant.apiKey(), "TR-Dataset", dataset());
    Answer cross =
        api.get(
            EDIT + "/" + jobId, "Authorization", tenant.apiKey(), "TR-Dataset", sibling.toString());
    assertThat(own.status()).isEqualTo(200);
    assertThat(cross.status()).isEqualTo(404);
    assertThat(cross.message()).isEqualTo("job " + jobId + " not found");
  }
}
