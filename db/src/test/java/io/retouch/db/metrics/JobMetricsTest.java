package io.retouch.db.metrics;

import static io.retouch.db.testing.TestData.aJob;
import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.TokenUsage;
import io.retouch.db.DbIntegrationTest;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.Claim;
import io.retouch.db.job.JobRecovery;
import io.retouch.db.job.JobStore;
import io.retouch.db.testing.TestData.Tenant;
import io.retouch.testkit.time.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Job meters count committed transitions, where they happen; backlogs are read from the tables. */
class JobMetricsTest extends DbIntegrationTest {

  private static final Duration LEASE = Duration.ofSeconds(30);

  /** Postgres keeps microseconds; the test clock has nanoseconds. */
  private static final Offset<Double> MICROSECOND = Offset.offset(1e-6);

  @Autowired JdbcClient jdbc;
  @Autowired MutableClock clock;
  @Autowired PlatformTransactionManager transactions;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private JobStore jobs;
  private AttemptStore attempts;
  private JobRecovery recovery;
  private Tenant tenant;

  @BeforeEach
  void setUp() {
    JobMetrics metrics = new JobMetrics(registry);
    jobs = new JobStore(jdbc, clock, metrics);
    attempts = new AttemptStore(jdbc, clock, metrics);
    recovery = new JobRecovery(jdbc, clock, metrics);
    tenant = aTenant(jdbc);
  }

  private double count(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void each_committed_transition_is_counted_once_and_a_rolled_back_one_not_at_all() {
    UUID id = jobs.create(aJob().of(tenant).createdAt(clock.instant()).build()).id();
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              jobs.create(aJob().of(tenant).createdAt(clock.instant()).build());
              status.setRollbackOnly();
            });
    assertThat(count("retouch.jobs.submitted")).isEqualTo(1);

    clock.advance(Duration.ofSeconds(3));
    Claim first = attempts.claim(id, "w", LEASE, "m").orElseThrow();
    attempts.retryLater(first, ErrorCode.OPENAI_UNAVAILABLE, "503", clock.instant());
    Claim second = attempts.claim(id, "w", LEASE, "m").orElseThrow();
    clock.advance(Duration.ofSeconds(2));
    attempts.succeed(second, List.of(), TokenUsage.unknown());

    assertThat(count("retouch.jobs.retries", "error_code", "openai_unavailable")).isEqualTo(1);
    assertThat(count("retouch.jobs.finished", "status", "succeeded", "error_code", "none"))
        .isEqualTo(1);
    var wait = registry.find("retouch.jobs.queue.wait").timer();
    assertThat(wait.count()).as("the first attempt only").isEqualTo(1);
    assertThat(wait.totalTime(TimeUnit.SECONDS)).isCloseTo(3.0, MICROSECOND);
    assertThat(
            registry
                .find("retouch.jobs.duration")
                .tags("status", "succeeded")
                .timer()
                .totalTime(TimeUnit.SECONDS))
        .isCloseTo(5.0, MICROSECOND);
  }

  @Test
  void a_failure_is_counted_with_its_error_code_and_a_reaped_attempt_as_lost() {
    UUID failing = jobs.create(aJob().of(tenant).createdAt(clock.instant()).build()).id();
    attempts.fail(
        attempts.claim(failing, "w", LEASE, "m").orElseThrow(),
        ErrorCode.OPENAI_REJECTED,
        "refused by the safety system");
    UUID abandoned = jobs.create(aJob().of(tenant).createdAt(clock.instant()).build()).id();
    attempts.claim(abandoned, "w", LEASE, "m").orElseThrow();
    clock.advance(LEASE.plusSeconds(1));
    recovery.reapExpiredLeases(10, 5, Duration.ofHours(1));

    assertThat(count("retouch.jobs.finished", "status", "failed", "error_code", "openai_rejected"))
        .isEqualTo(1);
    assertThat(count("retouch.jobs.attempts.lost")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void backlogs_are_read_from_their_tables_and_are_nan_when_the_database_cannot_be_read() {
    jobs.create(aJob().of(tenant).createdAt(clock.instant()).build());
    clock.advance(Duration.ofSeconds(30));
    SimpleMeterRegistry gauges = new SimpleMeterRegistry();
    new BacklogMetrics(jdbc, clock, gauges);

    assertThat(gauges.get("retouch.outbox.backlog").gauge().value()).isGreaterThanOrEqualTo(1);
    assertThat(gauges.get("retouch.outbox.oldest.age").gauge().value()).isGreaterThanOrEqualTo(30);
    assertThat(gauges.get("retouch.events.unpublished").gauge().value()).isGreaterThanOrEqualTo(1);
    assertThat(gauges.get("retouch.webhooks.backlog").gauge().value()).isGreaterThanOrEqualTo(0);

    SimpleMeterRegistry unreadable = new SimpleMeterRegistry();
    new BacklogMetrics(
        JdbcClient.create(
            new DriverManagerDataSource(
                "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "postgres", "")),
        clock,
        unreadable);
    assertThat(unreadable.get("retouch.outbox.backlog").gauge().value()).isNaN();
  }
}
