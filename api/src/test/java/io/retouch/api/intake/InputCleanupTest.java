package io.retouch.api.intake;

import static io.retouch.api.support.Requests.image;
import static io.retouch.api.support.Requests.png;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.api.auth.AuthScope;
import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.api.support.Requests;
import io.retouch.common.edit.EditImageRequest;
import io.retouch.common.edit.EditImageRequest.ImageSrc;
import io.retouch.common.edit.EditImageRequest.InputImage;
import io.retouch.common.edit.EditRequest;
import io.retouch.common.edit.InlineBase64;
import io.retouch.common.openai.OpenAiProperties;
import io.retouch.common.storage.ObjectStore;
import io.retouch.common.storage.StorageUnavailableException;
import io.retouch.common.tracing.JobTracing;
import io.retouch.common.validation.EditRequestValidator;
import io.retouch.db.auth.Role;
import io.retouch.db.job.IdempotencyKey;
import io.retouch.db.job.JobRecord;
import io.retouch.db.job.JobStore;
import io.retouch.db.job.NewJob;
import io.retouch.db.job.TransitionListener;
import io.retouch.db.outbox.OutboxRelay;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.TransactionSystemException;

/**
 * Inputs written for a submission whose job is never recorded are deleted again; inputs of a job
 * that may have been recorded stay.
 */
class InputCleanupTest extends ApiIntegrationTest {

  @Autowired ObjectStore store;
  @Autowired JobStore jobs;
  @Autowired ObjectProvider<OutboxRelay> relay;
  @Autowired OpenAiProperties openAi;
  @Autowired io.retouch.api.ApiProperties apiProperties;
  @Autowired Clock clock;

  @Test
  void a_commit_that_fails_after_the_uploads_leaves_no_input_behind() {
    // fails the transaction at its second statement, after the job row was inserted, as a server
    // shutting down would (57P01 admin_shutdown: an outage, not the request's fault)
    jdbc.sql(
            """
            CREATE FUNCTION refuse_inputs() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'admin_shutdown'; END $$
            """)
        .update();
    jdbc.sql(
            """
            CREATE TRIGGER refuse_inputs BEFORE INSERT ON job_inputs FOR EACH ROW
              WHEN (NEW.s3_key LIKE 'inputs/%s/%%') EXECUTE FUNCTION refuse_inputs()
            """
                .formatted(tenant.datasetId()))
        .update();
    try {
      String body =
          "{\"input_images\":[%s,%s],\"prompt\":\"make it blue\"}"
              .formatted(image("a.png", png()), image("b.png", png()));

      Answer answer = api.post(EDIT, body, asOwner("Prefer", "respond-async"));

      assertThat(answer.status()).isEqualTo(503);
      assertThat(jobsOfTenant()).isZero();
      assertThat(inputsOfTenant()).isEmpty();
    } finally {
      jdbc.sql("DROP TRIGGER IF EXISTS refuse_inputs ON job_inputs").update();
      jdbc.sql("DROP FUNCTION IF EXISTS refuse_inputs()").update();
    }
  }

  @Test
  void an_upload_that_fails_after_another_succeeded_leaves_no_input_behind() {
    RefusingSecondInput refusing = new RefusingSecondInput(store);
    EditIntake intake =
        new EditIntake(refusing, jobs, relay, openAi, apiProperties, JobTracing.NONE, clock);

    assertThatThrownBy(() -> intake.submit(scope(), twoImages(), java.util.Optional.empty()))
        .isInstanceOf(StorageUnavailableException.class);

    assertThat(refusing.written).hasSize(1);
    assertThat(inputsOfTenant()).isEmpty();
    assertThat(jobsOfTenant()).isZero();
  }

  @Test
  void inputs_stay_when_the_job_was_recorded_despite_the_error() {
    JobStore commitsThenFails =
        new JobStore(jdbc, clock, TransitionListener.NONE) {
          @Override
          public JobRecord create(NewJob job, Optional<IdempotencyKey> key) {
            super.create(job, key);
            throw new TransactionSystemException("connection lost while committing");
          }
        };
    EditIntake intake =
        new EditIntake(
            store, commitsThenFails, relay, openAi, apiProperties, JobTracing.NONE, clock);

    assertThatThrownBy(() -> intake.submit(scope(), twoImages(), java.util.Optional.empty()))
        .isInstanceOf(TransactionSystemException.class);

    assertThat(jobsOfTenant()).isOne();
    assertThat(inputsOfTenant()).hasSize(2);
  }

  private AuthScope scope() {
    return new AuthScope(
        tenant.organizationId(), tenant.datasetId(), UUID.randomUUID(), Role.OWNER);
  }

  private static EditRequest twoImages() {
    String png = Requests.b64(png());
    return new EditRequestValidator(
            io.retouch.common.openai.OpenAiProperties.DEFAULT_MODEL,
            new io.retouch.common.net.AddressPolicy(false))
        .validate(
            new EditImageRequest(
                List.of(
                    new InputImage("a.png", new ImageSrc(InlineBase64.of(png), null)),
                    new InputImage("b.png", new ImageSrc(InlineBase64.of(png), null))),
                "make it blue",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null));
  }

  private long jobsOfTenant() {
    return jdbc.sql("SELECT count(*) FROM edit_jobs WHERE dataset_id = ?")
        .param(tenant.datasetId())
        .query(Long.class)
        .single();
  }

  private List<String> inputsOfTenant() {
    return store.list("inputs/" + tenant.datasetId() + "/");
  }

  /** The real store, except that writing the second input fails as an S3 outage would. */
  private static final class RefusingSecondInput implements ObjectStore {

    private final ObjectStore real;
    final List<String> written = new CopyOnWriteArrayList<>();

    RefusingSecondInput(ObjectStore real) {
      this.real = real;
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
      if (key.endsWith("/1.png")) {
        throw new StorageUnavailableException("object storage failed to store " + key, null);
      }
      real.put(key, bytes, contentType);
      written.add(key);
    }

    @Override
    public byte[] get(String key) {
      return real.get(key);
    }

    @Override
    public void delete(String key) {
      real.delete(key);
    }

    @Override
    public List<String> list(String prefix) {
      return real.list(prefix);
    }

    @Override
    public URI readUrl(String key, Duration ttl) {
      return real.readUrl(key, ttl);
    }

    @Override
    public void ensureBucket() {
      real.ensureBucket();
    }

    @Override
    public void checkBucket() {
      real.checkBucket();
    }
  }
}
