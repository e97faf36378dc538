package io.retouch.db.testing;

import io.retouch.common.edit.EditOptions;
import io.retouch.common.edit.EditSpec;
import io.retouch.common.edit.ImageQuality;
import io.retouch.common.edit.ImageSize;
import io.retouch.common.webhook.JobWebhook;
import io.retouch.db.job.NewJob;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Builders for the rows tests of every module need (shared as the {@code retouch-db} test-jar):
 * {@code aJob().of(tenant).withUrlInput(…).build()}. What a test does not set has a plain default.
 */
public final class TestData {

  private TestData() {}

  public record Tenant(UUID organizationId, UUID datasetId) {}

  /** A new organization with one dataset. */
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

  public static JobBuilder aJob() {
    return new JobBuilder();
  }

  /** A two-image, low-quality PNG job with one stored input. */
  public static NewJob aJob(Tenant tenant, UUID id, Instant createdAt) {
    return aJob().of(tenant).withId(id).createdAt(createdAt).build();
  }

  /** A {@link NewJob} under construction. */
  public static final class JobBuilder {

    private UUID id = UUID.randomUUID();
    private Tenant tenant;
    private EditSpec spec =
        new EditSpec("make it blue", 2, ImageSize.SQUARE, ImageQuality.LOW, EditOptions.NONE);
    private String mimeType = "image/png";
    private String model = "gpt-image-2.6-sunburst";
    private final List<NewJob.Input> inputs = new ArrayList<>();
    private Optional<JobWebhook> webhook = Optional.empty();
    private Instant createdAt = Instant.now();

    private JobBuilder() {}

    public JobBuilder of(Tenant tenant) {
      this.tenant = tenant;
      return this;
    }

    public JobBuilder withId(UUID id) {
      this.id = id;
      return this;
    }

    public JobBuilder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public JobBuilder withSpec(EditSpec spec) {
      this.spec = spec;
      return this;
    }

    public JobBuilder withPrompt(String prompt, int n) {
      this.spec = new EditSpec(prompt, n, spec.size(), spec.quality(), spec.options());
      return this;
    }

    public JobBuilder withOptions(EditOptions options) {
      this.spec = new EditSpec(spec.prompt(), spec.n(), spec.size(), spec.quality(), options);
      return this;
    }

    /** Null for a job whose inputs are all URLs and whose request named no type. */
    public JobBuilder withMimeType(String mimeType) {
      this.mimeType = mimeType;
      return this;
    }

    public JobBuilder withModel(String model) {
      this.model = model;
      return this;
    }

    public JobBuilder withStoredInput(String fileName, String s3Key, String mimeType, long bytes) {
      inputs.add(
          new NewJob.Input(
              inputs.size(),
              fileName,
              new NewJob.Source.Stored(s3Key, mimeType, bytes, "sha256-of-" + fileName)));
      return this;
    }

    public JobBuilder withUrlInput(String fileName, URI url) {
      inputs.add(new NewJob.Input(inputs.size(), fileName, new NewJob.Source.Fetched(url)));
      return this;
    }

    public JobBuilder withWebhook(JobWebhook webhook) {
      this.webhook = Optional.of(webhook);
      return this;
    }

    public NewJob build() {
      if (tenant == null) {
        throw new IllegalStateException("a job belongs to a tenant: call of(aTenant(jdbc))");
      }
      List<NewJob.Input> chosen = new ArrayList<>(inputs);
      if (chosen.isEmpty()) {
        chosen.add(
            new NewJob.Input(
                0,
                "a.png",
                new NewJob.Source.Stored(
                    "inputs/" + tenant.datasetId() + "/" + id + "/0.png",
                    "image/png",
                    10L,
                    "abc")));
      }
      return new NewJob(
          id,
          tenant.organizationId(),
          tenant.datasetId(),
          spec,
          mimeType,
          model,
          chosen,
          webhook,
          Optional.empty(),
          createdAt);
    }
  }
}
