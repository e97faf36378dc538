package io.retouch.worker.process;

import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.Claim;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts this worker is running. It renews their leases (so a long model call keeps its job)
 * and, on shutdown, gives back the ones that did not finish in time.
 */
public final class RunningJobs {

  private static final Logger log = LoggerFactory.getLogger(RunningJobs.class);

  private final AttemptStore attempts;
  private final Duration lease;
  // Keyed by attempt, not job: after a lost lease this worker may run the job's next attempt while
  // the old one is still winding down, and each must keep its own lease and marks.
  private final Map<Attempt, RunningJob> running = new ConcurrentHashMap<>();
  // Attempts the database failed under (a pool that timed out, a dropped connection), by job. The
  // listener holds the message and calls again once the database answers; that call gives the job
  // back first, so it starts again at once instead of waiting out its lease for the reaper.
  private final Map<UUID, Claim> interrupted = new ConcurrentHashMap<>();
  private final Clock clock;

  private record Attempt(UUID jobId, int number) {
    Attempt(Claim claim) {
      this(claim.jobId(), claim.attempt());
    }
  }

  public RunningJobs(AttemptStore attempts, Duration lease, Clock clock) {
    this.attempts = attempts;
    this.lease = lease;
    this.clock = clock;
  }

  RunningJob start(Claim claim) {
    RunningJob job = new RunningJob(claim);
    running.put(new Attempt(claim), job);
    return job;
  }

  void finish(RunningJob job) {
    running.remove(new Attempt(job.claim()), job);
  }

  /** Remembers an attempt the database failed under, for {@link #handBackInterrupted}. */
  void interrupted(Claim claim) {
    // an entry whose first lease ran out is left to the reaper (the message went elsewhere)
    interrupted.values().removeIf(c -> c.leaseExpiresAt().isBefore(clock.instant()));
    interrupted.put(claim.jobId(), claim);
  }

  /** Requeues the job of an earlier attempt the database failed under, if there is one. */
  void handBackInterrupted(UUID jobId) {
    Claim earlier = interrupted.remove(jobId);
    if (earlier == null) {
      return;
    }
    try {
      if (attempts.release(earlier, "the database failed during attempt " + earlier.attempt())) {
        log.info(
            "job {} attempt {} was cut short by the database; the job is queued again",
            jobId,
            earlier.attempt());
      }
    } catch (RuntimeException e) {
      interrupted.put(jobId, earlier);
      throw e;
    }
  }

  public int size() {
    return running.size();
  }

  /** Extends every running attempt's lease and records what the database answered. */
  public void renewLeases() {
    for (RunningJob job : List.copyOf(running.values())) {
      try {
        switch (attempts.renewLease(job.claim(), lease)) {
          // a cancel is acted on at the attempt's next check point, which renews the lease itself
          case HELD, CANCEL_REQUESTED -> {}
          // an attempt that ended while we renewed is no longer running: nothing was lost
          case LOST -> {
            if (running.get(new Attempt(job.claim())) != job) {
              continue;
            }
            log.warn(
                "job {} attempt {}: lease lost to another attempt",
                job.claim().jobId(),
                job.claim().attempt());
            job.markLeaseLost();
          }
        }
      } catch (RuntimeException e) {
        // the database is away; the lease may run out, and then the reaper takes over
        log.warn("could not renew the lease of job {}: {}", job.claim().jobId(), e.getMessage());
      }
    }
  }

  /** Gives every attempt still running back to the queue (shutdown after the grace period). */
  public void releaseAll(String reason) {
    for (RunningJob job : List.copyOf(running.values())) {
      try {
        if (attempts.release(job.claim(), reason)) {
          log.info(
              "job {} attempt {} handed back: {}",
              job.claim().jobId(),
              job.claim().attempt(),
              reason);
        }
      } catch (RuntimeException e) {
        log.warn(
            "could not hand back job {}; its lease will run out and the reaper will: {}",
            job.claim().jobId(),
            e.getMessage());
      }
      job.markLeaseLost();
    }
  }
}
