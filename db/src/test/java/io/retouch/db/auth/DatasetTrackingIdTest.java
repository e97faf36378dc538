package io.retouch.db.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.db.DbIntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A tracking id names one live dataset per organization (TR-Dataset resolves it by both). */
class DatasetTrackingIdTest extends DbIntegrationTest {

  @Autowired JdbcClient jdbc;

  @Test
  void the_same_tracking_id_twice_in_one_organization_is_refused() {
    UUID org = anOrganization();
    aDataset(org, "photos");

    assertThatThrownBy(() -> aDataset(org, "photos")).isInstanceOf(DuplicateKeyException.class);
  }

  @Test
  void the_same_tracking_id_in_two_organizations_is_allowed() {
    UUID first = aDataset(anOrganization(), "photos");
    UUID second = aDataset(anOrganization(), "photos");

    assertThat(datasetsTracked("photos", first, second)).isEqualTo(2);
  }

  @Test
  void a_deleted_dataset_frees_its_tracking_id() {
    UUID org = anOrganization();
    UUID old = aDataset(org, "photos");
    jdbc.sql("UPDATE datasets SET deleted_at = now() WHERE id = ?").param(old).update();

    UUID replacement = aDataset(org, "photos");

    assertThat(datasetsTracked("photos", old, replacement)).isEqualTo(2);
  }

  private UUID anOrganization() {
    UUID id = UUID.randomUUID();
    jdbc.sql("INSERT INTO organizations (id, name, created_at) VALUES (?, 'org', now())")
        .param(id)
        .update();
    return id;
  }

  private UUID aDataset(UUID organizationId, String trackingId) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "INSERT INTO datasets (id, organization_id, name, tracking_id, created_at)"
                + " VALUES (?, ?, 'ds', ?, now())")
        .param(id)
        .param(organizationId)
        .param(trackingId)
        .update();
    return id;
  }

  private long datasetsTracked(String trackingId, UUID... ids) {
    return jdbc.sql("SELECT count(*) FROM datasets WHERE tracking_id = ? AND id = ANY(?)")
        .param(trackingId)
        .param(ids)
        .query(Long.class)
        .single();
  }
}
