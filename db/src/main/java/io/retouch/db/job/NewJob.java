package io.retouch.db.job;

import io.retouch.common.edit.EditSpec;
import io.retouch.common.job.JobStatus;
import io.retouch.common.webhook.JobWebhook;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A job about to be recorded; its inline inputs are already in object storage.
 *
 * @param webhook the job's own webhook, if the submission named one
 * @param traceParent the W3C {@code traceparent} of the submitting request, continued by every
 *     message of the job
 */
public record NewJob(
    UUID id,
    UUID organizationId,
    UUID datasetId,
    EditSpec spec,
    String mimeType,
    String model,
    List<Input> inputs,
    Optional<JobWebhook> webhook,
    Optional<String> traceParent,
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
        Optional.empty(),
        createdAt,
        Optional.empty(),
        Optional.empty(),
        webhook,
        inputs.stream().map(Input::asRecorded).toList(),
        List.of());
  }

  /** One input, in request order. */
  public record Input(int index, String fileName, Source source) {

    JobRecord.Input asRecorded() {
      return switch (source) {
        case Source.Stored stored ->
            new JobRecord.Input(
                index,
                fileName,
                Optional.of(stored.s3Key()),
                Optional.empty(),
                Optional.of(stored.mimeType()),
                Optional.of(stored.bytes()));
        case Source.Fetched fetched ->
            new JobRecord.Input(
                index,
                fileName,
                Optional.empty(),
                Optional.of(fetched.url().toString()),
                Optional.empty(),
                Optional.empty());
      };
    }
  }

  /** Where an input's bytes are: stored at intake, or fetched by the worker. */
  public sealed interface Source {

    /** An inline upload, already in object storage under {@code s3Key}. */
    record Stored(String s3Key, String mimeType, long bytes, String sha256) implements Source {}

    /** A URL input; the worker fetches it under the address policy. */
    record Fetched(URI url) implements Source {}
  }
}
