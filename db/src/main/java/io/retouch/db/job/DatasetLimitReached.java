package io.retouch.db.job;

import java.util.UUID;

/** A dataset already has as many queued and running jobs as it may; nothing was recorded. */
public final class DatasetLimitReached extends RuntimeException {

  private final int limit;

  public DatasetLimitReached(UUID datasetId, int limit) {
    super(
        ("dataset %s already has %d queued or running jobs, its limit"
                + " (retouch.limits.dataset-max-active); retry when some have finished")
            .formatted(datasetId, limit));
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }
}
