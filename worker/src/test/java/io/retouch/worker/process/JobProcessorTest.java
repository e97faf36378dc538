package io.retouch.worker.process;

import static io.retouch.db.testing.TestData.aJob;
import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.micrometer.observation.ObservationRegistry;
import io.retouch.common.job.JobStatus;
import io.retouch.common.job.RetryPolicy;
import io.retouch.common.messaging.MessagingConfiguration;
import io.retouch.common.openai.OpenAiProperties;
import io.retouch.common.storage.ObjectStore;
import io.retouch.common.storage.StorageKeys;
import io.retouch.db.DbConfiguration;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.JobRecord;
import io.retouch.db.job.JobRecovery;
import io.retouch.db.job.JobStore;
import io.retouch.db.job.TransitionListener;
import io.retouch.db.outbox.OutboxConfiguration;
import io.retouch.db.testing.TestData;
import io.retouch.testkit.images.SampleImages;
import io.retouch.testkit.openai.FakeOpenAi;
import io.retouch.testkit.openai.ScriptedResponse;
import io.retouch.testkit.s3.LocalObjectStores;
import io.retouch.testkit.services.TestServices;
import io.retouch.testkit.time.MutableClock;
import io.retouch.worker.fetch.FetchProperties;
import io.retouch.worker.fetch.SafeUrlFetcher;
import io.retouch.worker.model.ModelLifecycle;
import io.retouch.worker.openai.OpenAiImageEditor;
import io.retouch.worker.openai.OpenAiModelCatalog;
import io.retouch.worker.process.JobProcessor.AttemptSettings;
import io.retouch.worker.process.JobProcessor.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One attempt on real components (Postgres, local S3, the fake OpenAI through the SDK), with
 * something happening while the model works: the fake holds each call for {@link #MODEL_TIME}, and
 * the test acts once the call is in flight.
 */
@SpringBootTest(
    classes = JobProcessorTest.App.class,
    properties = {
      "retouch.outbox.enabled=false",
      "spring.rabbitmq.publisher-confirm-type=simple",
      // the worker's own health contributors are not part of this slice
      "management.endpoint.health.group.readiness.include=readinessState"
    })
class JobProcessorTest {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration MODEL_TIME = Duration.ofSeconds(4);
  private static final FakeOpenAi OPENAI = FakeOpenAi.start(0);

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({DbConfiguration.class, OutboxConfiguration.class, MessagingConfiguration.class})
  static class App {
    @Bean
    @Primary
    MutableClock testClock() {
      return MutableClock.startingNow();
    }
  }

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    TestServices.get().springProperties().forEach((k, v) -> registry.add(k, () -> v));
  }

  @Autowired JobStore jobs;
  @Autowired AttemptStore attempts;
  @Autowired JobRecovery recovery;
  @Autowired JdbcClient jdbc;
  @Autowired MutableClock clock;

  private ObjectStore store;
  private JobProcessor processor;
  private ModelLifecycle models;
  private OpenAiImageEditor editor;
  private TestData.Tenant tenant;
  private UUID dataset;

  @BeforeEach
  void setUp() {
    OPENAI.reset();
    OPENAI.setLatency(MODEL_TIME);
    store = LocalObjectStores.bucket("processor-tests");
    var client =
        OpenAIOkHttpClient.builder()
            .apiKey("sk-test")
            .baseUrl(OPENAI.baseUrl())
            .maxRetries(0)
            .build();
    models =
        new ModelLifecycle(
            new OpenAiModelCatalog(client),
            new OpenAiProperties(
                "gpt-image-2.6-sunburst",
                List.of("gpt-image-2.5-sunburst"),
                null,
                null,
                null,
                null,
                null),
            clock);
    editor = new OpenAiImageEditor(client);
    processor = processorReadingInputsFrom(jobs);
    tenant = aTenant(jdbc);
    dataset = tenant.datasetId();
  }

  private JobProcessor processorReadingInputsFrom(JobStore inputs) {
    return new JobProcessor(
        jobs,
        attempts,
        new InputLoader(
            store, new SafeUrlFetcher(new FetchProperties(null, null, null, null, null)), inputs),
        editor,
        store,
        new RunningJobs(attempts, LEASE, clock),
        models,
        new AttemptSettings("test-worker", LEASE, RetryPolicy.defaults()),
        ObservationRegistry.NOOP,
        clock);
  }

  @AfterAll
  static void stop() {
    OPENAI.close();
  }

  @Test
  void a_job_is_edited_and_its_outputs_stored() {
    OPENAI.setLatency(Duration.ZERO);
    UUID id = queuedJob();

    assertThat(processor.process(id)).isEqualTo(Outcome.SUCCEEDED);

    assertThat(job(id).status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(outputs(id)).hasSize(2);
  }

  @Test
  void an_attempt_the_database_failed_under_is_requeued_when_its_message_is_handled_again() {
    OPENAI.setLatency(Duration.ZERO);
    AtomicBoolean poolTimesOut = new AtomicBoolean(true);
    JobStore flaky =
        new JobStore(jdbc, clock, TransitionListener.NONE) {
          @Override
          public List<JobRecord.Input> inputs(UUID jobId) {
            if (poolTimesOut.getAndSet(false)) {
              throw new CannotGetJdbcConnectionException("Connection is not available");
            }
            return jobs.inputs(jobId);
          }
        };
    JobProcessor processor = processorReadingInputsFrom(flaky);
    UUID id = queuedJob();

    assertThatThrownBy(() -> processor.process(id)).isInstanceOf(DataAccessException.class);
    assertThat(job(id).status()).isEqualTo(JobStatus.PROCESSING);

    // the listener calls again once the database answers: the job does not wait out its lease
    assertThat(processor.process(id)).isEqualTo(Outcome.SUCCEEDED);
    assertThat(job(id).attempts()).isEqualTo(2);
    assertThat(outputs(id)).hasSize(2);
  }

  @Test
  void a_model_that_answers_model_not_found_falls_back_within_the_attempt_and_it_is_recorded() {
    OPENAI.setLatency(Duration.ZERO);
    OPENAI.setKnownModels(java.util.Set.of("gpt-image-2.5-sunburst"));
    UUID id = queuedJob();

    assertThat(processor.process(id)).isEqualTo(Outcome.SUCCEEDED);

    assertThat(job(id).model()).isEqualTo("gpt-image-2.5-sunburst");
    assertThat(outputs(id)).hasSize(2);
    assertThat(OPENAI.requests())
        .extracting(r -> r.model() + " " + r.status())
        .containsExactly("gpt-image-2.6-sunburst 404", "gpt-image-2.5-sunburst 200");
    assertThat(
            jdbc.sql("SELECT model, fallback_from FROM job_attempts WHERE job_id = ?")
                .param(id)
                .query((rs, n) -> rs.getString(1) + " from " + rs.getString(2))
                .single())
        .isEqualTo("gpt-image-2.5-sunburst from gpt-image-2.6-sunburst");
    // the next job starts on the fallback at once
    assertThat(models.usable()).containsExactly("gpt-image-2.5-sunburst");
  }

  @Test
  void a_fallback_that_cannot_take_the_job_is_not_tried_and_the_job_fails_saying_why() {
    OPENAI.setLatency(Duration.ZERO);
    OPENAI.setKnownModels(java.util.Set.of("gpt-image-2.5-sunburst"));
    UUID id =
        queuedJob(
            new io.retouch.common.edit.EditOptions(
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.of(io.retouch.common.edit.Complexity.HIGH)));

    assertThat(processor.process(id)).isEqualTo(Outcome.FAILED);

    assertThat(job(id).errorCode()).contains("model_not_found");
    assertThat(job(id).errorMessage())
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("gpt-image-2.6-sunburst answered model_not_found")
                    .contains("complexity is not supported by gpt-image-2.5-sunburst"));
    assertThat(OPENAI.requests()).hasSize(1);
  }

  @Test
  void a_cancel_during_the_model_call_ends_the_job_canceled_with_nothing_uploaded() {
    UUID id = queuedJob();
    CompletableFuture<Outcome> attempt = whileTheModelWorks(id);

    jobs.requestCancel(dataset, id);

    assertThat(attempt.join()).isEqualTo(Outcome.CANCELED);
    assertThat(job(id).status()).isEqualTo(JobStatus.CANCELED);
    assertThat(outputs(id)).isEmpty();
  }

  @Test
  void a_cancel_during_a_call_that_then_fails_transiently_still_ends_the_job_canceled() {
    OPENAI.enqueue(ScriptedResponse.serverError());
    UUID id = queuedJob();
    CompletableFuture<Outcome> attempt = whileTheModelWorks(id);

    jobs.requestCancel(dataset, id);

    assertThat(attempt.join()).isEqualTo(Outcome.CANCELED);
    assertThat(job(id).status()).isEqualTo(JobStatus.CANCELED);
  }

  @Test
  void an_attempt_whose_lease_was_reaped_during_the_model_call_stores_nothing() {
    UUID id = queuedJob();
    CompletableFuture<Outcome> attempt = whileTheModelWorks(id);

    clock.advance(LEASE.plusSeconds(1));
    assertThat(recovery.reapExpiredLeases(100, 5, Duration.ofHours(1))).contains(id);

    assertThat(attempt.join()).isEqualTo(Outcome.LOST);
    assertThat(job(id).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(outputs(id)).isEmpty();
  }

  /** Starts the attempt and returns once its model call is in flight. */
  private CompletableFuture<Outcome> whileTheModelWorks(UUID id) {
    CompletableFuture<Outcome> attempt = CompletableFuture.supplyAsync(() -> processor.process(id));
    await().atMost(Duration.ofSeconds(30)).until(() -> OPENAI.inFlight() == 1 || attempt.isDone());
    assertThat(attempt).as("the attempt reached the model").isNotDone();
    return attempt;
  }

  private UUID queuedJob() {
    return queuedJob(io.retouch.common.edit.EditOptions.NONE);
  }

  private UUID queuedJob(io.retouch.common.edit.EditOptions options) {
    UUID id = UUID.randomUUID();
    String key = StorageKeys.input(dataset, id, 0, "png");
    byte[] png = png();
    store.put(key, png, "image/png");
    jobs.create(
        aJob()
            .of(tenant)
            .withId(id)
            .withOptions(options)
            .withStoredInput("in.png", key, "image/png", png.length)
            .createdAt(clock.instant())
            .build());
    return id;
  }

  private io.retouch.db.job.JobRecord job(UUID id) {
    return jobs.find(dataset, id).orElseThrow();
  }

  private List<String> outputs(UUID id) {
    return store.list(StorageKeys.outputPrefix(dataset, id));
  }

  private static byte[] png() {
    return SampleImages.png(16, 16, java.awt.Color.BLACK);
  }
}
