package io.retouch.db.event;

import static io.retouch.db.testing.TestData.aJob;
import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.common.event.EventType;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.TokenUsage;
import io.retouch.db.DbIntegrationTest;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.Claim;
import io.retouch.db.job.JobRecovery;
import io.retouch.db.job.JobStore;
import io.retouch.db.job.NewOutput;
import io.retouch.db.testing.TestData.Tenant;
import io.retouch.testkit.time.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Every transition writes its event in its own transaction, and readers see them without gaps. */
class JobEventsTest extends DbIntegrationTest {

  private static final Duration LEASE = Duration.ofSeconds(30);

  @Autowired JobStore jobs;
  @Autowired AttemptStore attempts;
  @Autowired JobRecovery recovery;
  @Autowired JobEventStore events;
  @Autowired JdbcClient jdbc;
  @Autowired MutableClock clock;
  @Autowired PlatformTransactionManager transactions;

  private Tenant tenant;

  @BeforeEach
  void tenant() {
    tenant = aTenant(jdbc);
  }

  private UUID queued() {
    UUID id = UUID.randomUUID();
    jobs.create(aJob(tenant, id, clock.instant()));
    return id;
  }

  private List<EventType> typesOf(UUID job) {
    return events.after(tenant.datasetId(), Optional.of(job), 0, Set.of(), 100).stream()
        .map(JobEvent::type)
        .toList();
  }

  @Test
  void each_transition_writes_one_event_of_its_type_in_order() {
    UUID id = queued();
    Claim first = attempts.claim(id, "w", LEASE, "m").orElseThrow();
    attempts.retryLater(
        first, ErrorCode.OPENAI_UNAVAILABLE, "OpenAI answered 503", clock.instant());
    Claim second = attempts.claim(id, "w", LEASE, "m").orElseThrow();
    attempts.succeed(
        second, List.of(new NewOutput(0, "k", "image/png", 1, "s")), TokenUsage.unknown());

    assertThat(typesOf(id))
        .containsExactly(
            EventType.QUEUED,
            EventType.PROCESSING,
            EventType.RETRYING,
            EventType.PROCESSING,
            EventType.SUCCEEDED);
    JobEvent retrying =
        events
            .after(tenant.datasetId(), Optional.of(id), 0, Set.of(EventType.RETRYING), 10)
            .getFirst();
    assertThat(retrying.attempt()).isEqualTo(1);
    assertThat(retrying.errorCode()).contains("openai_unavailable");
    assertThat(retrying.errorMessage()).contains("OpenAI answered 503");
    assertThat(retrying.nextAttemptAt()).isPresent();
  }

  @Test
  void a_losing_transition_writes_nothing_and_a_job_ends_once() {
    UUID id = queued();
    Claim claim = attempts.claim(id, "w", LEASE, "m").orElseThrow();
    assertThat(attempts.claim(id, "other", LEASE, "m")).isEmpty();
    assertThat(attempts.fail(claim, ErrorCode.OPENAI_REJECTED, "no")).isTrue();
    assertThat(attempts.fail(claim, ErrorCode.OPENAI_REJECTED, "again")).isFalse();
    assertThat(recovery.failPoisoned(id, 0, "late copy")).isFalse();

    assertThat(typesOf(id))
        .containsExactly(EventType.QUEUED, EventType.PROCESSING, EventType.FAILED);
  }

  @Test
  void cancels_reaps_and_poison_have_their_events() {
    UUID canceled = queued();
    jobs.requestCancel(tenant.datasetId(), canceled);
    UUID poisoned = queued();
    recovery.failPoisoned(poisoned, 0, "dead-lettered");
    UUID lost = queued();
    attempts.claim(lost, "gone", LEASE, "m").orElseThrow();
    jdbc.sql(
            "UPDATE edit_jobs SET lease_expires_at = now() + interval '1 day' WHERE id <> ? AND status = 'processing'")
        .param(lost)
        .update();
    clock.advance(LEASE.plusSeconds(1));
    recovery.reapExpiredLeases(10, 5, Duration.ofHours(1));

    assertThat(typesOf(canceled)).containsExactly(EventType.QUEUED, EventType.CANCELED);
    assertThat(typesOf(poisoned)).containsExactly(EventType.QUEUED, EventType.FAILED);
    assertThat(typesOf(lost))
        .containsExactly(EventType.QUEUED, EventType.PROCESSING, EventType.RETRYING);
  }

  @Test
  void a_rolled_back_transition_leaves_no_event() {
    UUID id = queued();
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            tx -> {
              attempts.claim(id, "w", LEASE, "m").orElseThrow();
              tx.setRollbackOnly();
            });

    assertThat(typesOf(id)).containsExactly(EventType.QUEUED);
  }

  /**
   * An event whose transaction is still open when a later one commits is not skipped: a reader sees
   * neither until the first commits, then both, in id order.
   */
  @Test
  void a_reader_never_skips_an_event_that_commits_after_a_later_one() throws Exception {
    UUID slow = queued();
    UUID fast = queued();
    long start = events.latest(tenant.datasetId());
    CountDownLatch claimed = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    CompletableFuture<Void> open =
        CompletableFuture.runAsync(
            () ->
                new TransactionTemplate(transactions)
                    .executeWithoutResult(
                        tx -> {
                          attempts.claim(slow, "w", LEASE, "m").orElseThrow();
                          claimed.countDown();
                          await(commit);
                        }));
    await(claimed);
    attempts.claim(fast, "w", LEASE, "m").orElseThrow(); // a later id, committed first

    List<JobEvent> whileOpen =
        events.after(tenant.datasetId(), Optional.empty(), start, Set.of(), 10);
    commit.countDown();
    open.get(10, TimeUnit.SECONDS);
    List<JobEvent> afterCommit =
        events.after(tenant.datasetId(), Optional.empty(), start, Set.of(), 10);

    assertThat(whileOpen).isEmpty();
    assertThat(afterCommit).extracting(JobEvent::jobId).containsExactly(slow, fast);
    assertThat(afterCommit.get(0).id()).isLessThan(afterCommit.get(1).id());
  }

  @Test
  void another_datasets_events_are_not_read() {
    UUID mine = queued();
    Tenant other = aTenant(jdbc);
    UUID theirs = UUID.randomUUID();
    jobs.create(aJob(other, theirs, clock.instant()));

    assertThat(events.after(tenant.datasetId(), Optional.empty(), 0, Set.of(), 1000))
        .extracting(JobEvent::jobId)
        .contains(mine)
        .doesNotContain(theirs);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
