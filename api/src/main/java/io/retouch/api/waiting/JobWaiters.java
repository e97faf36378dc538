package io.retouch.api.waiting;

import io.retouch.common.job.JobStatus;
import io.retouch.db.job.JobStore;
import io.retouch.db.notify.JobNotifications;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets requests wait for jobs to finish without polling. Waiters of one job share a future that a
 * status notification completes; one periodic sweep re-reads the statuses of all awaited jobs in a
 * single query, for notifications missed while the listener reconnected. Waiting happens on the
 * request's virtual thread, so it holds no platform thread.
 */
public class JobWaiters {

  private static final Logger log = LoggerFactory.getLogger(JobWaiters.class);

  private final JobStore jobs;
  private final Map<UUID, Waiter> waiting = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public JobWaiters(JobStore jobs) {
    this.jobs = jobs;
  }

  /**
   * Blocks until the job is terminal or {@code max} passed.
   *
   * @return the terminal status, or empty when the wait ran out
   */
  public Optional<JobStatus> awaitTerminal(UUID jobId, Duration max) {
    if (max.isZero() || max.isNegative() || closed) {
      return Optional.empty();
    }
    Waiter waiter = waiting.compute(jobId, (id, w) -> (w == null ? new Waiter() : w).join());
    try {
      if (closed) {
        // shutdown began while this request was on its way here: answer now, do not wait
        return Optional.empty();
      }
      // The job may have finished before we registered: look once after registering. If the
      // database does not answer, the notification or the periodic re-check will.
      Optional<JobStatus> now = currentStatus(jobId);
      if (now.isPresent() && now.get().isTerminal()) {
        return now;
      }
      return Optional.of(waiter.future.get(max.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      // released on shutdown: the caller answers with the job as it stands
      return Optional.empty();
    } finally {
      waiting.computeIfPresent(jobId, (id, w) -> w.leave() == 0 ? null : w);
    }
  }

  private Optional<JobStatus> currentStatus(UUID jobId) {
    try {
      return Optional.ofNullable(jobs.statuses(List.of(jobId)).get(jobId));
    } catch (RuntimeException e) {
      log.warn("could not read the status of awaited job {}: {}", jobId, e.getMessage());
      return Optional.empty();
    }
  }

  /** A status notification arrived. */
  public void onStatusChange(JobNotifications.StatusChange change) {
    completeIfTerminal(change.jobId(), change.status());
  }

  private void completeIfTerminal(UUID jobId, JobStatus status) {
    if (status.isTerminal()) {
      Waiter waiter = waiting.get(jobId);
      if (waiter != null) {
        waiter.future.complete(status);
      }
    }
  }

  /** Re-reads every awaited job; the fallback for notifications that were missed. */
  public void recheck() {
    if (waiting.isEmpty()) {
      return;
    }
    try {
      jobs.statuses(waiting.keySet()).forEach(this::completeIfTerminal);
    } catch (RuntimeException e) {
      log.warn("could not re-check awaited jobs: {}", e.getMessage());
    }
  }

  /**
   * Lets every waiter go and turns away new ones (on shutdown); they answer with the job as it
   * stands instead of holding the server's drain until it gives up on them.
   */
  public void releaseAll() {
    closed = true;
    waiting
        .values()
        .forEach(w -> w.future.completeExceptionally(new IllegalStateException("stopping")));
  }

  public int size() {
    return waiting.size();
  }

  private static final class Waiter {
    final CompletableFuture<JobStatus> future = new CompletableFuture<>();
    final AtomicInteger count = new AtomicInteger();

    Waiter join() {
      count.incrementAndGet();
      return this;
    }

    int leave() {
      return count.decrementAndGet();
    }
  }
}
