package io.retouch.db.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.retouch.common.job.JobStatus;
import io.retouch.common.job.JobTransition;
import io.retouch.db.job.TransitionListener;
import java.time.Duration;

/**
 * Job meters, counted where every status change happens (the one transition path) once it
 * committed, so a change that rolled back is never counted and each process counts what it did (sum
 * across processes):
 *
 * <ul>
 *   <li>{@code retouch.jobs.submitted} — jobs accepted
 *   <li>{@code retouch.jobs.finished{status, error_code}} — jobs that ended, by final status and
 *       error code ({@code none} for succeeded and canceled)
 *   <li>{@code retouch.jobs.duration{status}} — acceptance to end (histogram)
 *   <li>{@code retouch.jobs.queue.wait} — acceptance to the start of the first attempt (histogram)
 *   <li>{@code retouch.jobs.retries{error_code}} — attempts that failed transiently and were
 *       scheduled again
 *   <li>{@code retouch.jobs.attempts.lost} — attempts whose worker was lost (reaped leases)
 * </ul>
 */
public final class JobMetrics implements TransitionListener {

  private final MeterRegistry registry;
  private final Counter submitted;
  private final Counter lost;
  private final Timer queueWait;

  public JobMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.submitted =
        Counter.builder("retouch.jobs.submitted").description("Jobs accepted").register(registry);
    this.lost =
        Counter.builder("retouch.jobs.attempts.lost")
            .description("Attempts whose worker was lost and whose lease was reaped")
            .register(registry);
    this.queueWait =
        Timer.builder("retouch.jobs.queue.wait")
            .description("From acceptance to the start of a job's first attempt")
            .publishPercentileHistogram()
            .register(registry);
  }

  @Override
  public void committed(Change change) {
    JobTransition transition = change.transition();
    switch (transition) {
      case SUBMIT -> submitted.increment();
      case CLAIM -> {
        if (change.attempt() == 1) {
          queueWait.record(elapsed(change));
        }
      }
      case RETRY_LATER ->
          Counter.builder("retouch.jobs.retries")
              .description("Attempts that failed transiently and were scheduled again")
              .tag("error_code", change.errorCode().orElse("none"))
              .register(registry)
              .increment();
      case REQUEUE_LOST -> lost.increment();
      case FAIL_LOST, CANCEL_LOST -> {
        lost.increment();
        finished(change);
      }
      case SUCCEED, FAIL, CANCEL_QUEUED, CANCEL_RUNNING, FAIL_POISONED -> finished(change);
    }
  }

  private void finished(Change change) {
    JobStatus status = change.transition().to();
    Counter.builder("retouch.jobs.finished")
        .description("Jobs that ended, by final status and error code")
        .tag("status", status.wireName())
        .tag("error_code", change.errorCode().orElse("none"))
        .register(registry)
        .increment();
    Timer.builder("retouch.jobs.duration")
        .description("From acceptance to the job's end")
        .tag("status", status.wireName())
        .publishPercentileHistogram()
        .register(registry)
        .record(elapsed(change));
  }

  private static Duration elapsed(Change change) {
    Duration elapsed = Duration.between(change.jobCreatedAt(), change.at());
    return elapsed.isNegative() ? Duration.ZERO : elapsed;
  }
}
