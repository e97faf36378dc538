package io.retouch.api.intake;

import io.retouch.api.ApiProperties;
import io.retouch.api.auth.AuthScope;
import io.retouch.api.http.ApiException;
import io.retouch.api.limits.RateLimits;
import io.retouch.common.edit.EditRequest;
import io.retouch.common.edit.ImageSource;
import io.retouch.common.id.UuidV7;
import io.retouch.common.image.ImageFormat;
import io.retouch.common.openai.OpenAiProperties;
import io.retouch.common.storage.ObjectStore;
import io.retouch.common.storage.StorageKeys;
import io.retouch.common.tracing.JobTracing;
import io.retouch.db.job.DatasetLimitReached;
import io.retouch.db.job.IdempotencyKey;
import io.retouch.db.job.IdempotencyKeyTaken;
import io.retouch.db.job.JobRecord;
import io.retouch.db.job.JobStore;
import io.retouch.db.job.NewJob;
import io.retouch.db.outbox.OutboxRelay;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Accepts a validated request: inline inputs go to object storage first, then the job row, its
 * inputs and its outbox entry are committed together. Only then is the job accepted, so a 200 or
 * 202 always means the job will run even if RabbitMQ is down right now. Inputs of a submission that
 * fails before its job is recorded are deleted again.
 */
@Service
public class EditIntake {
  private final JobTracing tracing;

  private static final Logger log = LoggerFactory.getLogger(EditIntake.class);

  private final ObjectStore store;
  private final JobStore jobs;
  private final ObjectProvider<OutboxRelay> relay;
  private final OpenAiProperties openAi;
  private final ApiProperties api;
  private final UuidV7 ids;
  private final Clock clock;

  public EditIntake(
      ObjectStore store,
      JobStore jobs,
      ObjectProvider<OutboxRelay> relay,
      OpenAiProperties openAi,
      ApiProperties api,
      JobTracing tracing,
      Clock clock) {
    this.api = api;
    this.tracing = tracing;
    this.store = store;
    this.jobs = jobs;
    this.relay = relay;
    this.openAi = openAi;
    this.ids = new UuidV7(clock);
    this.clock = clock;
  }

  /**
   * Accepts a request under an {@code Idempotency-Key}: a key already used in this dataset within
   * 24 hours returns its job when the request is the same, and is a 422 when it is not.
   */
  public JobRecord submit(AuthScope scope, EditRequest request, Optional<IdempotencyKey> key) {
    if (key.isPresent()) {
      Optional<JobRecord> earlier = replay(scope, key.get());
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    try {
      return create(scope, request, key);
    } catch (IdempotencyKeyTaken raced) {
      // another request with the same key committed first
      return replay(scope, key.orElseThrow()).orElseThrow(() -> raced);
    } catch (DatasetLimitReached full) {
      throw RateLimits.datasetFull(full, api.retryAfter());
    }
  }

  private Optional<JobRecord> replay(AuthScope scope, IdempotencyKey key) {
    return jobs.findIdempotencyKey(scope.datasetId(), key.key())
        .map(
            use -> {
              if (!use.requestHash().equals(key.requestHash())) {
                throw new ApiException(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "Idempotency-Key "
                        + key.key()
                        + " was already used with a different request; use a new key for a new"
                        + " request");
              }
              return jobs.find(scope.datasetId(), use.jobId()).orElseThrow();
            });
  }

  private JobRecord create(AuthScope scope, EditRequest request, Optional<IdempotencyKey> key) {
    // refused before anything is stored; create() decides for certain under the dataset's lock
    jobs.requireRoom(scope.datasetId());
    UUID jobId = ids.next();
    UploadedInputs uploaded = new UploadedInputs(store, jobId);
    List<NewJob.Input> inputs;
    try {
      inputs = storeInputs(scope.datasetId(), jobId, request.inputs(), uploaded);
    } catch (RuntimeException e) {
      uploaded.discard(e);
      throw e;
    }
    JobRecord job;
    try {
      job = jobs.create(newJob(scope, jobId, request, inputs), key);
    } catch (RuntimeException e) {
      if (certainlyNotRecorded(scope.datasetId(), jobId, e)) {
        uploaded.discard(e);
      } else {
        log.warn("job {} may have been recorded despite {}; its inputs stay", jobId, e.toString());
      }
      throw e;
    }
    relay.ifAvailable(OutboxRelay::wakeUp);
    return job;
  }

  private NewJob newJob(
      AuthScope scope, UUID jobId, EditRequest request, List<NewJob.Input> inputs) {
    return new NewJob(
        jobId,
        scope.organizationId(),
        scope.datasetId(),
        request.spec(),
        request.format().map(ImageFormat::mimeType).orElse(null),
        openAi.model(),
        inputs,
        request.webhook(),
        tracing.startedHere(jobId),
        clock.instant());
  }

  /**
   * Whether a failed {@link JobStore#create} left no job behind. A failure of the commit itself
   * (the connection broke after the server committed) can leave the job recorded, and deleting its
   * inputs would then fail a job the client may get back through its Idempotency-Key; so unless the
   * failure happened before anything was written, the database is asked.
   */
  private boolean certainlyNotRecorded(UUID datasetId, UUID jobId, RuntimeException failure) {
    if (failure instanceof IdempotencyKeyTaken
        || failure instanceof DatasetLimitReached
        || failure instanceof CannotCreateTransactionException) {
      return true;
    }
    try {
      return jobs.find(datasetId, jobId).isEmpty();
    } catch (RuntimeException unknown) {
      return false;
    }
  }

  /** Uploads inline inputs in parallel (one virtual thread each); URL inputs are recorded only. */
  private List<NewJob.Input> storeInputs(
      UUID datasetId, UUID jobId, List<EditRequest.Input> inputs, UploadedInputs uploaded) {
    try (ExecutorService uploads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<NewJob.Input>> pending = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        int index = i;
        EditRequest.Input input = inputs.get(i);
        pending.add(uploads.submit(() -> storeInput(datasetId, jobId, index, input, uploaded)));
      }
      List<NewJob.Input> stored = new ArrayList<>();
      for (Future<NewJob.Input> future : pending) {
        stored.add(future.get());
      }
      return stored;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while storing inputs", e);
    }
  }

  private NewJob.Input storeInput(
      UUID datasetId, UUID jobId, int index, EditRequest.Input input, UploadedInputs uploaded) {
    return switch (input.source()) {
      case ImageSource.Inline inline -> {
        String key = StorageKeys.input(datasetId, jobId, index, inline.format().extension());
        uploaded.put(key, inline.content(), inline.format().mimeType());
        yield new NewJob.Input(
            index,
            input.fileName(),
            new NewJob.Source.Stored(
                key,
                inline.format().mimeType(),
                inline.content().size(),
                inline.content().sha256Hex()));
      }
      case ImageSource.Url url ->
          new NewJob.Input(index, input.fileName(), new NewJob.Source.Fetched(url.uri()));
    };
  }
}
