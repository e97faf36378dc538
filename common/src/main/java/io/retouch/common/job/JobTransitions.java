package io.retouch.common.job;

import static io.retouch.common.job.JobStatus.CANCELED;
import static io.retouch.common.job.JobStatus.FAILED;
import static io.retouch.common.job.JobStatus.PROCESSING;
import static io.retouch.common.job.JobStatus.QUEUED;
import static io.retouch.common.job.JobStatus.SUCCEEDED;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of allowed status changes. Every write to a job's status goes through {@link
 * #check} first, and the SQL that performs it is guarded by the expected current status, so a
 * racing writer that loses changes nothing.
 */
public final class JobTransitions {

  private static final Map<JobStatus, Set<JobStatus>> ALLOWED =
      Map.of(
          // QUEUED → FAILED: a job whose message was dead-lettered fails without running
          QUEUED, EnumSet.of(PROCESSING, CANCELED, FAILED),
          // back to QUEUED: a transient failure (retry later) or a lost lease (re-queued)
          PROCESSING, EnumSet.of(SUCCEEDED, FAILED, QUEUED, CANCELED),
          SUCCEEDED, EnumSet.noneOf(JobStatus.class),
          FAILED, EnumSet.noneOf(JobStatus.class),
          CANCELED, EnumSet.noneOf(JobStatus.class));

  private JobTransitions() {}

  public static boolean isAllowed(JobStatus from, JobStatus to) {
    return ALLOWED.get(from).contains(to);
  }

  /** Throws {@link IllegalTransitionException} unless {@code from → to} is in the table. */
  public static void check(JobStatus from, JobStatus to) {
    if (!isAllowed(from, to)) {
      throw new IllegalTransitionException(from, to);
    }
  }

  /** An attempt to move a job along an edge that the state machine does not have. */
  public static final class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(JobStatus from, JobStatus to) {
      super("a job cannot go from " + from.wireName() + " to " + to.wireName());
    }
  }
}
