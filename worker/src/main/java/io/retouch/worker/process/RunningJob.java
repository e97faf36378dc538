package io.retouch.worker.process;

import io.retouch.db.job.Claim;

/**
 * An attempt in progress on this worker. The lease keeper marks it when the job's lease was lost;
 * the processor reads the mark at its check points.
 */
public final class RunningJob {

  private final Claim claim;
  private volatile boolean leaseLost;

  RunningJob(Claim claim) {
    this.claim = claim;
  }

  public Claim claim() {
    return claim;
  }

  public boolean leaseLost() {
    return leaseLost;
  }

  void markLeaseLost() {
    leaseLost = true;
  }
}
