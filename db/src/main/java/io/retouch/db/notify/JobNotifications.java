package io.retouch.db.notify;

import io.retouch.common.job.JobStatus;
import java.util.Optional;
import java.util.UUID;

/**
 * The Postgres {@code NOTIFY} channel that carries job status changes. Notifications are sent in
 * the transaction that changes the status and delivered only if it commits, so a listener never
 * hears of a change that did not happen.
 */
public final class JobNotifications {

  public static final String CHANNEL = "retouch_job_events";

  private JobNotifications() {}

  public static String payload(UUID jobId, JobStatus status) {
    return jobId + ":" + status.wireName();
  }

  /** A status change heard on the channel. */
  public record StatusChange(UUID jobId, JobStatus status) {

    public static Optional<StatusChange> parse(String payload) {
      int colon = payload.indexOf(':');
      if (colon < 0) {
        return Optional.empty();
      }
      try {
        UUID id = UUID.fromString(payload.substring(0, colon));
        return JobStatus.fromWireName(payload.substring(colon + 1))
            .map(status -> new StatusChange(id, status));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }
}
