package io.retouch.db.job;

import io.retouch.common.edit.EditSpec;
import io.retouch.common.job.JobStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A job about to be recorded; its inline inputs are already in object storage. */
public record NewJob(
    UUID id,
    UUID organizationId,
    UUID datasetId,
    EditSpec spec,
    String mimeType,
    String model,
    List<Input> inputs,
    Instant createdAt) {

  public NewJob {
    inputs = List.copyOf(inputs);
    // Postgres keeps microseconds: the record returned at creation matches what is read later
    createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
  }

  /** The job as {@link JobStore#create} records it: queued, no attempt yet. */
  JobRecord asQueued() {
    return new JobRecord(
        id,
        organizationId,
        datasetId,
        JobStatus.QUEUED,
        spec,
        Optional.ofNullable(mimeType),
        model,
        0,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        createdAt,
        Optional.empty(),
        Optional.empty(),
        inputs.stream()
            .map(
                i ->
                    new JobRecord.Input(
                        i.index(),
                        i.fileName(),
                        Optional.ofNullable(i.s3Key()),
                        Optional.ofNullable(i.sourceUrl()),
                        Optional.ofNullable(i.mimeType()),
                        Optional.ofNullable(i.bytes())))
            .toList(),
        List.of());
  }

  /**
   * One input: either {@code s3Key} (inline upload, with its type, size and digest) or {@code
   * sourceUrl} (fetched by the worker).
   */
  public record Input(
      int index,
      String fileName,
      String s3Key,
      String sourceUrl,
      String mimeType,
      Long bytes,
      String sha256) {}
}
