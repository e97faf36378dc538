package io.retouch.db.job;

import io.retouch.common.edit.EditSpec;
import io.retouch.common.job.JobStatus;
import io.retouch.common.webhook.JobWebhook;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A job as read back, with its inputs and outputs in index order.
 *
 * @param nextAttemptAt while a queued job waits for a retry: when the next attempt is due
 * @param webhook the job's own webhook, if its submission named one
 */
public record JobRecord(
    UUID id,
    UUID organizationId,
    UUID datasetId,
    JobStatus status,
    EditSpec spec,
    Optional<String> mimeType,
    String model,
    int attempts,
    Optional<Instant> nextAttemptAt,
    Optional<String> errorCode,
    Optional<String> errorMessage,
    Optional<Instant> cancelRequestedAt,
    Instant createdAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Optional<JobWebhook> webhook,
    List<Input> inputs,
    List<Output> outputs) {

  /** The same job with its inputs and outputs. */
  public JobRecord withChildren(List<Input> inputs, List<Output> outputs) {
    return new JobRecord(
        id,
        organizationId,
        datasetId,
        status,
        spec,
        mimeType,
        model,
        attempts,
        nextAttemptAt,
        errorCode,
        errorMessage,
        cancelRequestedAt,
        createdAt,
        startedAt,
        finishedAt,
        webhook,
        List.copyOf(inputs),
        List.copyOf(outputs));
  }

  public record Input(
      int index,
      String fileName,
      Optional<String> s3Key,
      Optional<String> sourceUrl,
      Optional<String> mimeType,
      Optional<Long> bytes) {}

  public record Output(int index, String s3Key, String mimeType, long bytes, String sha256) {}
}
