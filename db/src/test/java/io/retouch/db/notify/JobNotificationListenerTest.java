package io.retouch.db.notify;

import static io.retouch.db.testing.TestData.aJob;
import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retouch.common.job.JobStatus;
import io.retouch.db.DbIntegrationTest;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.JobStore;
import io.retouch.testkit.time.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class JobNotificationListenerTest extends DbIntegrationTest {

  @Autowired DataSource dataSource;
  @Autowired JobStore jobs;
  @Autowired AttemptStore attempts;
  @Autowired JdbcClient jdbc;
  @Autowired MutableClock clock;
  @Autowired PlatformTransactionManager transactions;

  private final List<JobNotifications.StatusChange> heard = new CopyOnWriteArrayList<>();
  private JobNotificationListener listener;

  @BeforeEach
  void listen() {
    listener = new JobNotificationListener(dataSource, heard::add, () -> {});
    listener.start();
    // the LISTEN is issued asynchronously; wait until a probe notification arrives
    UUID probe = UUID.randomUUID();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              jdbc.sql("SELECT pg_notify(:c, :p)")
                  .param("c", JobNotifications.CHANNEL)
                  .param("p", JobNotifications.payload(probe, probe, JobStatus.QUEUED, 0))
                  .query(rs -> {});
              return heard.stream().anyMatch(c -> c.jobId().equals(probe));
            });
  }

  @AfterEach
  void stop() {
    listener.stop();
  }

  @Test
  void a_committed_status_change_is_heard() {
    var tenant = aTenant(jdbc);
    UUID jobId = UUID.randomUUID();
    jobs.create(aJob(tenant, jobId, clock.instant()));
    attempts.claim(jobId, "w", Duration.ofMinutes(1), "gpt-image-1");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                heard.stream()
                    .anyMatch(c -> c.jobId().equals(jobId) && c.status() == JobStatus.PROCESSING));
  }

  @Test
  void a_rolled_back_status_change_is_never_heard() {
    var tenant = aTenant(jdbc);
    UUID rolledBack = UUID.randomUUID();
    UUID committed = UUID.randomUUID();
    jobs.create(aJob(tenant, rolledBack, clock.instant()));
    jobs.create(aJob(tenant, committed, clock.instant()));

    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              attempts.claim(rolledBack, "w", Duration.ofMinutes(1), "gpt-image-1");
              status.setRollbackOnly();
            });
    attempts.claim(committed, "w", Duration.ofMinutes(1), "gpt-image-1");

    // notifications arrive in commit order: once the later one is here, the earlier never will be
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                heard.stream()
                    .anyMatch(
                        c -> c.jobId().equals(committed) && c.status() == JobStatus.PROCESSING));
    // (both were heard as queued when they were created)
    assertThat(heard)
        .noneMatch(c -> c.jobId().equals(rolledBack) && c.status() == JobStatus.PROCESSING);
  }

  @Test
  void payloads_that_are_not_status_changes_are_ignored() {
    assertThat(JobNotifications.StatusChange.parse("garbage")).isEmpty();
    assertThat(JobNotifications.StatusChange.parse(UUID.randomUUID() + ":exploded")).isEmpty();
  }
}
