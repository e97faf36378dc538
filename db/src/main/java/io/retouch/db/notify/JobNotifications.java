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

  /** {@code <job id>:<dataset id>:<status>:<event id>}. */
  public static String payload(UUID jobId, UUID datasetId, JobStatus status, long eventId) {
    return jobId + ":" + datasetId + ":" + status.wireName() + ":" + eventId;
  }

  /**
   * A status change heard on the channel.
   *
   * @param eventId the id of the change's row in {@code job_events}
   */
  public record StatusChange(UUID jobId, UUID datasetId, JobStatus status, long eventId) {

    public static Optional<StatusChange> parse(String payload) {
      String[] parts = payload.split(":", -1);
      if (parts.length != 4) {
        return Optional.empty();
      }
      try {
        UUID id = UUID.fromString(parts[0]);
        UUID dataset = UUID.fromString(parts[1]);
        long eventId = Long.parseLong(parts[3]);
        return JobStatus.fromWireName(parts[2])
            .map(status -> new StatusChange(id, dataset, status, eventId));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }
}
