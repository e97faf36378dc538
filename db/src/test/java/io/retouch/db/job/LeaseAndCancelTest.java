package io.retouch.db.job;

import static io.retouch.db.testing.TestData.aJob;
import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.JobStatus;
import io.retouch.common.job.TokenUsage;
import io.retouch.db.DbIntegrationTest;
import io.retouch.db.testing.TestData.Tenant;
import io.retouch.testkit.time.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class LeaseAndCancelTest extends DbIntegrationTest {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration DEADLINE = Duration.ofMinutes(30);

  @Autowired JobStore jobs;
  @Autowired AttemptStore attempts;
  @Autowired JobRecovery recovery;
  @Autowired JdbcClient jdbc;
  @Autowired MutableClock clock;

  private Tenant tenant;

  @BeforeEach
  void tenant() {
    tenant = aTenant(jdbc);
    // leases of other tests' jobs must not be reaped by this test's clock jumps
    jdbc.sql(
            "UPDATE edit_jobs SET lease_expires_at = now() + interval '1 day'"
                + " WHERE status = 'processing'")
        .update();
  }

  private UUID queuedJob() {
    UUID id = UUID.randomUUID();
    jobs.create(aJob(tenant, id, clock.instant()));
    return id;
  }

  private JobRecord job(UUID id) {
    return jobs.find(tenant.datasetId(), id).orElseThrow();
  }

  @Test
  void a_renewed_lease_outlives_its_first_expiry() {
    UUID id = queuedJob();
    Claim claim = attempts.claim(id, "w", LEASE, "m").orElseThrow();
    clock.advance(Duration.ofSeconds(20));
    assertThat(attempts.renewLease(claim, LEASE)).isEqualTo(AttemptStore.LeaseState.HELD);
    clock.advance(Duration.ofSeconds(20));

    assertThat(recovery.reapExpiredLeases(100, 5, DEADLINE)).doesNotContain(id);
    assertThat(job(id).status()).isEqualTo(JobStatus.PROCESSING);
  }

  @Test
  void an_expired_lease_is_reaped_back_to_queued_and_enqueued_and_its_worker_loses_it() {
    UUID id = queuedJob();
    Claim claim = attempts.claim(id, "crashed-worker", LEASE, "m").orElseThrow();
    clock.advance(LEASE.plusSeconds(1));

    assertThat(recovery.reapExpiredLeases(100, 5, DEADLINE)).contains(id);

    assertThat(job(id).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(attempts.renewLease(claim, LEASE)).isEqualTo(AttemptStore.LeaseState.LOST);
    assertThat(attempts.succeed(claim, List.of(), TokenUsage.unknown())).isFalse();
    assertThat(outbox(id)).containsExactly(2);
    assertThat(attempts(id)).containsExactly("lost");
    Claim next = attempts.claim(id, "other-worker", LEASE, "m").orElseThrow();
    assertThat(next.attempt()).isEqualTo(2);
  }

  @Test
  void a_job_that_lost_its_last_attempt_fails_instead_of_coming_back() {
    UUID id = queuedJob();
    attempts.claim(id, "w", LEASE, "m").orElseThrow();
    clock.advance(LEASE.plusSeconds(1));

    recovery.reapExpiredLeases(100, 1, DEADLINE);

    JobRecord job = job(id);
    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.errorCode()).contains("retries_exhausted");
    assertThat(job.errorMessage().orElseThrow()).contains("lease of worker w ran out");
  }

  @Test
  void racing_reapers_reap_each_job_exactly_once() throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      UUID id = queuedJob();
      attempts.claim(id, "w", LEASE, "m").orElseThrow();
      ids.add(id);
    }
    clock.advance(LEASE.plusSeconds(1));

    Callable<List<UUID>> reaper = () -> recovery.reapExpiredLeases(7, 5, DEADLINE);
    List<UUID> reaped = new ArrayList<>();
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int round = 0; round < 4; round++) {
        threads
            .invokeAll(List.of(reaper, reaper, reaper))
            .forEach(f -> reaped.addAll(f.resultNow()));
      }
    }
    assertThat(reaped).doesNotHaveDuplicates().containsAll(ids);
    for (UUID id : ids) {
      assertThat(outbox(id)).containsExactly(2);
    }
  }

  @Test
  void cancel_of_a_queued_job_is_immediate_and_idempotent() {
    UUID id = queuedJob();
    assertThat(jobs.requestCancel(tenant.datasetId(), id)).contains(JobStatus.CANCELED);
    assertThat(jobs.requestCancel(tenant.datasetId(), id)).contains(JobStatus.CANCELED);
    assertThat(attempts.claim(id, "w", LEASE, "m")).isEmpty();
  }

  @Test
  void cancel_of_a_processing_job_is_requested_and_its_worker_ends_it_canceled() {
    UUID id = queuedJob();
    Claim claim = attempts.claim(id, "w", LEASE, "m").orElseThrow();

    assertThat(jobs.requestCancel(tenant.datasetId(), id)).contains(JobStatus.PROCESSING);
    assertThat(attempts.renewLease(claim, LEASE))
        .isEqualTo(AttemptStore.LeaseState.CANCEL_REQUESTED);
    assertThat(attempts.cancelProcessing(claim)).isTrue();

    JobRecord job = job(id);
    assertThat(job.status()).isEqualTo(JobStatus.CANCELED);
    assertThat(job.outputs()).isEmpty();
    assertThat(attempts(id)).containsExactly("canceled");
  }

  @Test
  void a_worker_cannot_cancel_on_its_own() {
    UUID id = queuedJob();
    Claim claim = attempts.claim(id, "w", LEASE, "m").orElseThrow();
    assertThat(attempts.cancelProcessing(claim)).isFalse();
  }

  @Test
  void cancel_leaves_finished_jobs_alone_and_ignores_other_datasets() {
    UUID id = queuedJob();
    Claim claim = attempts.claim(id, "w", LEASE, "m").orElseThrow();
    attempts.succeed(claim, List.of(), TokenUsage.unknown());

    assertThat(jobs.requestCancel(tenant.datasetId(), id)).contains(JobStatus.SUCCEEDED);
    assertThat(jobs.requestCancel(aTenant(jdbc).datasetId(), id)).isEmpty();
  }

  @Test
  void a_released_attempt_goes_back_to_the_queue_at_once() {
    UUID id = queuedJob();
    Claim claim = attempts.claim(id, "w", LEASE, "m").orElseThrow();

    assertThat(attempts.release(claim, "worker w shut down")).isTrue();

    assertThat(job(id).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(outbox(id)).containsExactly(2);
    assertThat(attempts.claim(id, "w2", LEASE, "m")).isPresent();
  }

  @Test
  void a_poisoned_message_fails_its_job_unless_the_job_finished_or_moved_past_its_attempt() {
    UUID queued = queuedJob();
    UUID unnumbered = queuedJob();
    attempts.claim(unnumbered, "w", LEASE, "m").orElseThrow();
    UUID running = queuedJob();
    attempts.claim(running, "w", LEASE, "m").orElseThrow();
    UUID done = queuedJob();
    attempts.succeed(
        attempts.claim(done, "w", LEASE, "m").orElseThrow(), List.of(), TokenUsage.unknown());

    assertThat(recovery.failPoisoned(queued, 1, "dead-lettered")).isTrue();
    assertThat(recovery.failPoisoned(unnumbered, 0, "dead-lettered")).isTrue();
    // attempt 1 already started (from another copy): this copy is stale and fails nothing
    assertThat(recovery.failPoisoned(running, 1, "dead-lettered")).isFalse();
    assertThat(recovery.failPoisoned(done, 1, "dead-lettered")).isFalse();

    assertThat(job(queued).errorCode()).contains("poison_message");
    assertThat(job(unnumbered).status()).isEqualTo(JobStatus.FAILED);
    assertThat(attempts(unnumbered)).containsExactly("failed");
    assertThat(job(running).status()).isEqualTo(JobStatus.PROCESSING);
    assertThat(job(done).status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void a_cancel_wins_over_a_result_a_failure_or_a_retry_that_comes_after_it() {
    UUID succeeding = queuedJob();
    UUID failing = queuedJob();
    UUID retrying = queuedJob();
    Claim s = attempts.claim(succeeding, "w", LEASE, "m").orElseThrow();
    Claim f = attempts.claim(failing, "w", LEASE, "m").orElseThrow();
    Claim r = attempts.claim(retrying, "w", LEASE, "m").orElseThrow();
    for (UUID id : List.of(succeeding, failing, retrying)) {
      assertThat(jobs.requestCancel(tenant.datasetId(), id)).contains(JobStatus.PROCESSING);
    }

    assertThat(attempts.succeed(s, List.of(), TokenUsage.unknown())).isFalse();
    assertThat(attempts.fail(f, ErrorCode.OPENAI_REJECTED, "refused")).isFalse();
    assertThat(
            attempts.retryLater(
                r, ErrorCode.OPENAI_UNAVAILABLE, "429", clock.instant().plusSeconds(5)))
        .isFalse();

    for (Claim claim : List.of(s, f, r)) {
      assertThat(attempts.cancelProcessing(claim)).isTrue();
      assertThat(job(claim.jobId()).status()).isEqualTo(JobStatus.CANCELED);
    }
    assertThat(outbox(retrying)).isEmpty();
  }

  @Test
  void an_early_message_is_deferred_to_the_due_time_and_others_are_not() {
    UUID waiting = queuedJob();
    Claim claim = attempts.claim(waiting, "w", LEASE, "m").orElseThrow();
    attempts.retryLater(
        claim, ErrorCode.OPENAI_UNAVAILABLE, "429", clock.instant().plusSeconds(30));
    UUID fresh = queuedJob();
    UUID running = queuedJob();
    attempts.claim(running, "w", LEASE, "m").orElseThrow();

    assertThat(attempts.claim(waiting, "w2", LEASE, "m")).isEmpty();
    assertThat(attempts.deferUntilDue(waiting)).isTrue();
    assertThat(attempts.deferUntilDue(fresh)).isFalse();
    assertThat(attempts.deferUntilDue(running)).isFalse();

    assertThat(outbox(waiting)).containsExactly(2, 2);
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM job_outbox WHERE job_id = :id AND attempt = 2"
                        + " AND available_at = (SELECT next_attempt_at FROM edit_jobs WHERE id = :id)")
                .param("id", waiting)
                .query(Integer.class)
                .single())
        .isEqualTo(2);
  }

  @Test
  void a_reaped_job_past_its_deadline_fails_instead_of_coming_back() {
    UUID id = queuedJob();
    attempts.claim(id, "w", LEASE, "m").orElseThrow();
    clock.advance(DEADLINE.plusMinutes(1));

    assertThat(recovery.reapExpiredLeases(100, 5, DEADLINE)).contains(id);

    JobRecord job = job(id);
    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.errorCode()).contains("deadline_exceeded");
    assertThat(job.errorMessage().orElseThrow()).contains("after the job's deadline");
    assertThat(outbox(id)).isEmpty();
  }

  @Test
  void a_hand_back_on_shutdown_ignores_the_deadline() {
    UUID id = queuedJob();
    Claim claim = attempts.claim(id, "w", LEASE, "m").orElseThrow();
    clock.advance(DEADLINE.plusMinutes(1));

    assertThat(attempts.release(claim, "worker w shut down")).isTrue();

    assertThat(job(id).status()).isEqualTo(JobStatus.QUEUED);
  }

  @Test
  void an_idempotency_key_names_one_job_per_dataset_for_a_day() {
    UUID first = UUID.randomUUID();
    jobs.create(aJob(tenant, first, clock.instant()), Optional.of(new IdempotencyKey("k1", "h1")));

    assertThat(jobs.findIdempotencyKey(tenant.datasetId(), "k1"))
        .contains(new IdempotencyKey.Use("h1", first));
    UUID second = UUID.randomUUID();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                jobs.create(
                    aJob(tenant, second, clock.instant()),
                    Optional.of(new IdempotencyKey("k1", "h1"))))
        .isInstanceOf(IdempotencyKeyTaken.class);
    assertThat(jobs.find(tenant.datasetId(), second)).isEmpty();

    Tenant other = aTenant(jdbc);
    jobs.create(
        aJob(other, UUID.randomUUID(), clock.instant()),
        Optional.of(new IdempotencyKey("k1", "h2")));

    clock.advance(IdempotencyKey.WINDOW.plusSeconds(1));
    assertThat(jobs.findIdempotencyKey(tenant.datasetId(), "k1")).isEmpty();
    UUID later = UUID.randomUUID();
    jobs.create(aJob(tenant, later, clock.instant()), Optional.of(new IdempotencyKey("k1", "h3")));
    assertThat(jobs.findIdempotencyKey(tenant.datasetId(), "k1"))
        .contains(new IdempotencyKey.Use("h3", later));
  }

  private List<Integer> outbox(UUID id) {
    return jdbc.sql("SELECT attempt FROM job_outbox WHERE job_id = ? ORDER BY id")
        .param(id)
        .query(Integer.class)
        .list();
  }

  private List<String> attempts(UUID id) {
    return jdbc.sql("SELECT outcome FROM job_attempts WHERE job_id = ? ORDER BY attempt")
        .param(id)
        .query(String.class)
        .list();
  }
}
