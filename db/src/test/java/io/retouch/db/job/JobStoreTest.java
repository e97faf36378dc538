package io.retouch.db.job;

import static io.retouch.db.testing.TestData.aJob;
import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.common.id.UuidV7;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.JobStatus;
import io.retouch.common.job.TokenUsage;
import io.retouch.db.DbIntegrationTest;
import io.retouch.db.testing.TestData.Tenant;
import io.retouch.testkit.time.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class JobStoreTest extends DbIntegrationTest {

  private static final Duration LEASE = Duration.ofMinutes(5);

  @Autowired JobStore jobs;
  @Autowired AttemptStore attempts;
  @Autowired JdbcClient jdbc;
  @Autowired MutableClock clock;

  private Tenant tenant;
  private UUID jobId;

  @BeforeEach
  void aQueuedJob() {
    tenant = aTenant(jdbc);
    jobId = new UuidV7(clock).next();
    jobs.create(aJob(tenant, jobId, clock.instant()));
  }

  @Test
  void a_created_job_is_queued_with_its_inputs_in_the_fair_line_not_the_outbox() {
    JobRecord job = jobs.find(tenant.datasetId(), jobId).orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job.inputs()).extracting(JobRecord.Input::fileName).containsExactly("a.png");
    assertThat(outboxEntries()).isZero();
    assertThat(
            jdbc.sql(
                    "SELECT fair_key IS NOT NULL AND enqueued_at IS NULL FROM edit_jobs WHERE id = ?")
                .param(jobId)
                .query(Boolean.class)
                .single())
        .as("waits in the fair line for the relay")
        .isTrue();
  }

  @Test
  void the_record_returned_at_creation_is_the_job_as_stored() {
    UUID id = new UuidV7(clock).next();
    JobRecord created = jobs.create(aJob(tenant, id, clock.instant()));
    assertThat(created).isEqualTo(jobs.find(tenant.datasetId(), id).orElseThrow());
  }

  @Test
  void a_job_is_invisible_from_another_dataset() {
    Tenant other = aTenant(jdbc);
    assertThat(jobs.find(other.datasetId(), jobId)).isEmpty();
  }

  @Test
  void claim_is_won_by_exactly_one_of_two_racing_workers() throws Exception {
    Callable<Optional<Claim>> a = () -> attempts.claim(jobId, "worker-a", LEASE, "gpt-image-1");
    Callable<Optional<Claim>> b = () -> attempts.claim(jobId, "worker-b", LEASE, "gpt-image-1");
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      var results = threads.invokeAll(List.of(a, b));
      long winners = results.stream().filter(f -> f.resultNow().isPresent()).count();
      assertThat(winners).isEqualTo(1);
    }
    JobRecord job = jobs.find(tenant.datasetId(), jobId).orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.PROCESSING);
    assertThat(job.attempts()).isEqualTo(1);
  }

  @Test
  void success_records_outputs_usage_and_the_attempt() {
    Claim claim = attempts.claim(jobId, "w", LEASE, "gpt-image-1.5").orElseThrow();
    boolean done =
        attempts.succeed(
            claim,
            List.of(new NewOutput(0, "outputs/x/0.png", "image/png", 42, "sha")),
            new TokenUsage(10, 20, 30));
    assertThat(done).isTrue();
    JobRecord job = jobs.find(tenant.datasetId(), jobId).orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.model()).isEqualTo("gpt-image-1.5");
    assertThat(job.outputs())
        .extracting(JobRecord.Output::s3Key)
        .containsExactly("outputs/x/0.png");
    assertThat(job.finishedAt()).isPresent();
    assertThat(attemptOutcomes()).containsExactly("succeeded");
    assertThat(storedUsage()).isEqualTo(new TokenUsage(10, 20, 30));
  }

  @Test
  void a_transient_failure_is_retried_only_once_the_database_says_it_is_due() {
    Claim first = attempts.claim(jobId, "w", LEASE, "gpt-image-1").orElseThrow();
    assertThat(
            attempts.retryLater(
                first, ErrorCode.OPENAI_UNAVAILABLE, "429", clock.instant().plusSeconds(10)))
        .isTrue();

    JobRecord waiting = jobs.find(tenant.datasetId(), jobId).orElseThrow();
    assertThat(waiting.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(waiting.errorCode()).contains("openai_unavailable");
    assertThat(outboxEntries()).isEqualTo(1);
    assertThat(attempts.claim(jobId, "w", LEASE, "gpt-image-1")).isEmpty();

    clock.advance(Duration.ofSeconds(10));
    Claim second = attempts.claim(jobId, "w", LEASE, "gpt-image-1").orElseThrow();
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(attemptOutcomes()).containsExactly("retry", null);
  }

  @Test
  void a_worker_whose_attempt_was_superseded_cannot_finish_the_job() {
    Claim stale = attempts.claim(jobId, "w1", LEASE, "gpt-image-1").orElseThrow();
    attempts.retryLater(stale, ErrorCode.OPENAI_UNAVAILABLE, "500", clock.instant());
    Claim current = attempts.claim(jobId, "w2", LEASE, "gpt-image-1").orElseThrow();

    assertThat(attempts.succeed(stale, List.of(), TokenUsage.unknown())).isFalse();
    assertThat(attempts.fail(stale, ErrorCode.INTERNAL, "x")).isFalse();
    assertThat(jobs.find(tenant.datasetId(), jobId).orElseThrow().status())
        .isEqualTo(JobStatus.PROCESSING);
    assertThat(attempts.succeed(current, List.of(), TokenUsage.unknown())).isTrue();
  }

  @Test
  void terminal_jobs_never_change_again() {
    Claim claim = attempts.claim(jobId, "w", LEASE, "gpt-image-1").orElseThrow();
    attempts.fail(claim, ErrorCode.OPENAI_REJECTED, "refused by the safety system");

    assertThat(attempts.claim(jobId, "w", LEASE, "gpt-image-1")).isEmpty();
    assertThat(attempts.succeed(claim, List.of(), TokenUsage.unknown())).isFalse();
    assertThat(jobs.cancelQueued(tenant.datasetId(), jobId)).isFalse();
    JobRecord job = jobs.find(tenant.datasetId(), jobId).orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.errorMessage()).contains("refused by the safety system");
  }

  @Test
  void a_queued_job_can_be_canceled_and_then_never_claimed() {
    assertThat(jobs.cancelQueued(tenant.datasetId(), jobId)).isTrue();
    assertThat(attempts.claim(jobId, "w", LEASE, "gpt-image-1")).isEmpty();
    assertThat(jobs.find(tenant.datasetId(), jobId).orElseThrow().status())
        .isEqualTo(JobStatus.CANCELED);
  }

  @Test
  void listing_pages_newest_first_by_keyset() {
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofMillis(5));
      jobs.create(aJob(tenant, new UuidV7(clock).next(), clock.instant()));
    }
    JobPage first = jobs.list(tenant.datasetId(), Optional.empty(), 2, Optional.empty());
    JobPage second = jobs.list(tenant.datasetId(), Optional.empty(), 2, first.nextAfter());
    JobPage third = jobs.list(tenant.datasetId(), Optional.empty(), 2, second.nextAfter());

    assertThat(first.jobs()).hasSize(2);
    assertThat(second.jobs()).hasSize(2);
    assertThat(third.jobs()).extracting(JobRecord::id).containsExactly(jobId);
    assertThat(third.nextAfter()).isEmpty();
    assertThat(first.jobs().get(0).createdAt()).isAfter(first.jobs().get(1).createdAt());
    assertThat(
            jobs.list(tenant.datasetId(), Optional.of(JobStatus.FAILED), 10, Optional.empty())
                .jobs())
        .isEmpty();
  }

  private long outboxEntries() {
    return jdbc.sql("SELECT count(*) FROM job_outbox WHERE job_id = ?")
        .param(jobId)
        .query(Long.class)
        .single();
  }

  private TokenUsage storedUsage() {
    return jdbc.sql("SELECT input_tokens, output_tokens, total_tokens FROM edit_jobs WHERE id = ?")
        .param(jobId)
        .query(
            (rs, i) ->
                new TokenUsage(
                    rs.getObject("input_tokens", Integer.class),
                    rs.getObject("output_tokens", Integer.class),
                    rs.getObject("total_tokens", Integer.class)))
        .single();
  }

  private List<String> attemptOutcomes() {
    return jdbc.sql("SELECT outcome FROM job_attempts WHERE job_id = ? ORDER BY attempt")
        .param(jobId)
        .query((rs, i) -> rs.getString(1))
        .list();
  }
}
