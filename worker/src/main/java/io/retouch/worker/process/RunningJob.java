package io.retouch.worker.process;

import io.retouch.db.job.Claim;

/**
 * An attempt in progress on this worker. The lease keeper marks it when the job's lease was lost or
 * a cancel was requested; the processor reads the marks at its check points.
 */
public final class RunningJob {

  private final Claim claim;
  private volatile boolean leaseLost;
  private volatile boolean cancelRequested;

  RunningJob(Claim claim) {
    this.claim = claim;
  }

  public Claim claim() {
    return claim;
  }

  public boolean leaseLost() {
    return leaseLost;
  }

  public boolean cancelRequested() {
    return cancelRequested;
  }

  void markLeaseLost() {
    leaseLost = true;
  }

  void markCancelRequested() {
    cancelRequested = true;
  }
}
