package io.retouch.worker.process;

import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.Claim;
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

  private record Attempt(UUID jobId, int number) {
    Attempt(Claim claim) {
      this(claim.jobId(), claim.attempt());
    }
  }

  public RunningJobs(AttemptStore attempts, Duration lease) {
    this.attempts = attempts;
    this.lease = lease;
  }

  RunningJob start(Claim claim) {
    RunningJob job = new RunningJob(claim);
    running.put(new Attempt(claim), job);
    return job;
  }

  void finish(RunningJob job) {
    running.remove(new Attempt(job.claim()), job);
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
