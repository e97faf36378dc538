package io.retouch.db;

import io.retouch.common.edit.EditOptions;
import io.retouch.common.edit.EditSpec;
import io.retouch.common.edit.ImageQuality;
import io.retouch.common.edit.ImageSize;
import io.retouch.db.job.NewJob;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Builders for rows the job tests need. */
public final class TestData {

  private TestData() {}

  public record Tenant(UUID organizationId, UUID datasetId) {}

  public static Tenant aTenant(JdbcClient jdbc) {
    UUID org = UUID.randomUUID();
    UUID dataset = UUID.randomUUID();
    jdbc.sql("INSERT INTO organizations (id, name, created_at) VALUES (?, 'org', now())")
        .param(org)
        .update();
    jdbc.sql(
            "INSERT INTO datasets (id, organization_id, name, created_at) VALUES (?, ?, 'ds', now())")
        .param(dataset)
        .param(org)
        .update();
    return new Tenant(org, dataset);
  }

  public static NewJob aJob(Tenant tenant, UUID id, Instant createdAt) {
    return new NewJob(
        id,
        tenant.organizationId(),
        tenant.datasetId(),
        new EditSpec("make it blue", 2, ImageSize.SQUARE, ImageQuality.LOW, EditOptions.NONE),
        "image/png",
        "gpt-image-2.6-sunburst",
        List.of(
            new NewJob.Input(
                0,
                "a.png",
                "inputs/" + tenant.datasetId() + "/" + id + "/0.png",
                null,
                "image/png",
                10L,
                "abc")),
        createdAt);
  }
}
