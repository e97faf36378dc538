package io.retouch.db.event;

import io.retouch.common.edit.Background;
import io.retouch.common.edit.Complexity;
import io.retouch.common.edit.EditOptions;
import io.retouch.common.edit.InputFidelity;
import io.retouch.common.edit.OutputFormat;
import io.retouch.common.event.EventType;
import io.retouch.common.job.JobStatus;
import io.retouch.common.storage.ObjectStore;
import io.retouch.common.storage.StorageProperties;
import io.retouch.db.fair.QueueStanding;
import io.retouch.db.job.JobRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Turns stored jobs into {@link JobView}s, signing result URLs at read time. */
public class JobViews {

  private final ObjectStore store;
  private final StorageProperties storage;
  private final QueueStanding standing;
  private final Clock clock;

  public JobViews(
      ObjectStore store, StorageProperties storage, QueueStanding standing, Clock clock) {
    this.standing = standing;
    this.store = store;
    this.storage = storage;
    this.clock = clock;
  }

  public JobView of(JobRecord job) {
    List<String> urls = imageUrls(job);
    Instant expires =
        urls.isEmpty() || storage.publicBaseUrl() != null
            ? null
            : clock.instant().plus(storage.urlTtl());
    EditOptions options = job.spec().options();
    Optional<QueueStanding.Standing> place =
        job.status() == JobStatus.QUEUED ? standing.of(job.id()) : Optional.empty();
    JobView.Error error =
        job.errorCode()
            .map(code -> new JobView.Error(code, job.errorMessage().orElse(null)))
            .orElse(null);
    return new JobView(
        job.id(),
        job.status().wireName(),
        urls,
        expires,
        error,
        job.spec().prompt(),
        job.spec().n(),
        job.spec().size().wireName(),
        job.spec().quality().wireName(),
        options.outputFormat().map(OutputFormat::wireName).orElse(null),
        options.outputCompression().orElse(null),
        options.background().map(Background::wireName).orElse(null),
        options.inputFidelity().map(InputFidelity::wireName).orElse(null),
        options.complexity().map(Complexity::wireName).orElse(null),
        job.mimeType().orElse(null),
        job.model(),
        job.inputs().stream()
            .map(
                i ->
                    new JobView.InputImage(
                        i.fileName(), i.mimeType().orElse(null), i.bytes().orElse(null)))
            .toList(),
        job.attempts(),
        job.status() == JobStatus.QUEUED ? job.nextAttemptAt().orElse(null) : null,
        place.map(QueueStanding.Standing::position).orElse(null),
        place.flatMap(QueueStanding.Standing::estimatedStartAt).orElse(null),
        job.cancelRequestedAt().orElse(null),
        job.createdAt(),
        job.startedAt().orElse(null),
        job.finishedAt().orElse(null),
        job.webhook().map(w -> w.url().toString()).orElse(null),
        job.webhook()
            .map(w -> w.events().stream().sorted().map(EventType::wireName).toList())
            .orElse(null));
  }

  public List<String> imageUrls(JobRecord job) {
    if (job.status() != JobStatus.SUCCEEDED) {
      return List.of();
    }
    return job.outputs().stream()
        .map(o -> store.readUrl(o.s3Key(), storage.urlTtl()).toString())
        .toList();
  }
}
