package io.retouch.api.waiting;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.common.job.JobStatus;
import io.retouch.db.job.JobStore;
import io.retouch.db.job.TransitionListener;
import io.retouch.db.notify.JobNotifications;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A waiter for a job that was already committed must not fail when the database goes away: the
 * request answers with the job as accepted instead of a 503 that would invite a duplicate.
 */
class JobWaitersTest {

  // The real driver against a port nothing listens on: every query fails as in an outage.
  private final JobWaiters waiters =
      new JobWaiters(
          new JobStore(
              JdbcClient.create(
                  new DriverManagerDataSource(
                      "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "postgres", "")),
              Clock.systemUTC(),
              TransitionListener.NONE));

  @Test
  void a_wait_that_cannot_read_the_database_runs_out_instead_of_failing() {
    assertThat(waiters.awaitTerminal(UUID.randomUUID(), Duration.ofMillis(200))).isEmpty();
    assertThat(waiters.size()).isZero();
  }

  @Test
  void a_waiter_is_still_woken_by_a_notification_while_the_database_does_not_answer() {
    UUID jobId = UUID.randomUUID();
    CompletableFuture<Optional<JobStatus>> waiting =
        CompletableFuture.supplyAsync(() -> waiters.awaitTerminal(jobId, Duration.ofMinutes(2)));
    while (waiters.size() == 0 && !waiting.isDone()) {
      Thread.onSpinWait();
    }

    waiters.onStatusChange(new JobNotifications.StatusChange(jobId, jobId, JobStatus.SUCCEEDED, 0));

    assertThat(waiting.join()).contains(JobStatus.SUCCEEDED);
  }
}
