package io.retouch.worker.process;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.retouch.common.image.ImageFormat;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.PermanentFailure;
import io.retouch.common.job.RetryPolicy;
import io.retouch.common.job.TransientFailure;
import io.retouch.common.storage.ObjectStore;
import io.retouch.common.storage.Sha256;
import io.retouch.common.storage.StorageKeys;
import io.retouch.common.storage.StorageUnavailableException;
import io.retouch.common.tracing.JobTracing;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.Claim;
import io.retouch.db.job.JobStore;
import io.retouch.db.job.NewOutput;
import io.retouch.worker.model.ModelLifecycle;
import io.retouch.worker.openai.EditInput;
import io.retouch.worker.openai.EditOutcome;
import io.retouch.worker.openai.ImageEditor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * One attempt of one job: claim it, read its inputs, call the model, store the outputs under
 * deterministic keys and mark it succeeded. Classified failures end the attempt: permanent ones
 * fail the job, transient ones schedule the next attempt under the retry policy. A message for a
 * job that cannot be claimed (finished, taken) is a no-op, which is what makes redelivery harmless;
 * one that came before its job was due is deferred to the due time.
 */
public final class JobProcessor implements JobHandler {

  private static final Logger log = LoggerFactory.getLogger(JobProcessor.class);

  private final JobStore jobs;
  private final AttemptStore attempts;
  private final InputLoader inputs;
  private final ImageEditor editor;
  private final ObjectStore store;
  private final AttemptSettings settings;
  private final ModelLifecycle models;
  private final RunningJobs running;
  private final ObservationRegistry observations;
  private final Clock clock;
  private final RandomGenerator random = RandomGenerator.getDefault();

  public JobProcessor(
      JobStore jobs,
      AttemptStore attempts,
      InputLoader inputs,
      ImageEditor editor,
      ObjectStore store,
      RunningJobs running,
      ModelLifecycle models,
      AttemptSettings settings,
      ObservationRegistry observations,
      Clock clock) {
    this.observations = observations;
    this.jobs = jobs;
    this.attempts = attempts;
    this.inputs = inputs;
    this.editor = editor;
    this.store = store;
    this.running = running;
    this.settings = settings;
    this.models = models;
    this.clock = clock;
  }

  /**
   * How this worker runs attempts.
   *
   * @param workerId the name on leases and attempt rows
   * @param lease the lease a claim starts with
   * @param retryPolicy what follows a transient failure
   */
  public record AttemptSettings(String workerId, Duration lease, RetryPolicy retryPolicy) {}

  /** What became of a job message. */
  public enum Outcome {
    SUCCEEDED,
    FAILED,
    RETRY_SCHEDULED,
    CANCELED,
    NOT_CLAIMED,
    DEFERRED,
    UNKNOWN_JOB,
    LOST,
    /** No model is usable (all unknown or shut down): the job was left queued. */
    NO_MODEL
  }

  @Override
  public Outcome process(UUID jobId) {
    List<String> usable = models.usable();
    if (usable.isEmpty()) {
      log.warn("job {} left queued: no model of this worker is usable", jobId);
      return Outcome.NO_MODEL;
    }
    running.handBackInterrupted(jobId);
    Optional<Claim> claimed =
        attempts.claim(jobId, settings.workerId(), settings.lease(), usable.getFirst());
    if (claimed.isEmpty()) {
      if (!jobs.exists(jobId)) {
        return Outcome.UNKNOWN_JOB;
      }
      if (attempts.deferUntilDue(jobId)) {
        log.info("job {} is not due yet: its message is deferred to the due time", jobId);
        return Outcome.DEFERRED;
      }
      log.info("job {} is not claimable (finished, taken or canceled): message ignored", jobId);
      return Outcome.NOT_CLAIMED;
    }
    Claim claim = claimed.get();
    RunningJob job = running.start(claim);
    try {
      return observe(
          "retouch.job.attempt", "attempt " + claim.attempt(), claim, () -> attempt(job));
    } catch (DataAccessException | TransactionException e) {
      running.interrupted(claim);
      throw e;
    } finally {
      running.finish(job);
    }
  }

  /**
   * The attempt, with its check points: right before the model call and right after it the lease is
   * renewed in the database, so a requested cancel ends the attempt there and an attempt whose
   * lease went to another one stops before it uploads anything. A cancel that comes later still
   * wins: the job ends {@code canceled} and what was uploaded is deleted.
   */
  private Outcome attempt(RunningJob job) {
    Claim claim = job.claim();
    UUID jobId = claim.jobId();
    List<String> uploaded = new ArrayList<>();
    try {
      List<EditInput> loaded =
          observe(
              "retouch.inputs.load",
              "load inputs",
              claim,
              () ->
                  inputs.load(
                      jobId,
                      Optional.ofNullable(claim.mimeType()).flatMap(ImageFormat::fromMimeType)));
      Optional<Outcome> stop = checkpoint(job);
      if (stop.isPresent()) {
        return stop.get();
      }
      Optional<EditOutcome> edited = editWithFallbacks(claim, loaded);
      if (edited.isEmpty()) {
        return lost(claim);
      }
      EditOutcome outcome = edited.get();
      stop = checkpoint(job);
      if (stop.isPresent()) {
        return stop.get();
      }
      List<NewOutput> outputs = storeOutputs(claim, outcome.images(), uploaded);
      if (!attempts.succeed(claim, outputs, outcome.usage())) {
        return cancelOrLost(claim, uploaded);
      }
      log.info(
          "job {} succeeded on attempt {} with {} image(s)",
          jobId,
          claim.attempt(),
          outputs.size());
      return Outcome.SUCCEEDED;
    } catch (PermanentFailure e) {
      log.info("job {} failed permanently ({}): {}", jobId, e.code().wireName(), e.getMessage());
      return attempts.fail(claim, e.code(), e.getMessage())
          ? Outcome.FAILED
          : cancelOrLost(claim, uploaded);
    } catch (TransientFailure e) {
      return retryOrFail(claim, e.code(), e.getMessage(), e.retryAfter(), uploaded);
    } catch (StorageUnavailableException e) {
      return retryOrFail(
          claim, ErrorCode.STORAGE_UNAVAILABLE, e.getMessage(), Optional.empty(), uploaded);
    } catch (DataAccessException | TransactionException e) {
      // The database is away: the listener waits for it and calls again, which requeues the job
      // first (RunningJobs.interrupted); if the message goes elsewhere, the reaper does it.
      throw e;
    } catch (RuntimeException e) {
      // A bug or an answer nobody classified: retried like a transient failure, so a passing
      // glitch heals and a real bug fails the job once the attempts run out.
      log.error("job {} attempt {} hit an unexpected error", jobId, claim.attempt(), e);
      return retryOrFail(claim, ErrorCode.INTERNAL, String.valueOf(e), Optional.empty(), uploaded);
    }
  }

  /**
   * Calls the model the attempt was claimed with and, while a model answers {@code
   * model_not_found}, the next usable one whose capabilities take the job ({@code
   * retouch.openai.fallback-models}); the attempt records the switch. Empty when the attempt
   * stopped being this worker's on the way.
   *
   * @throws PermanentFailure {@code model_not_found} when no model could run the job
   */
  private Optional<EditOutcome> editWithFallbacks(Claim claim, List<EditInput> loaded) {
    List<String> refused = new ArrayList<>();
    for (String model : candidates(claim, loaded.size(), refused)) {
      if (!model.equals(claim.model())) {
        log.warn("job {} attempt {} falls back to {}", claim.jobId(), claim.attempt(), model);
        if (!attempts.switchModel(claim, model)) {
          return Optional.empty();
        }
      }
      try {
        return Optional.of(editor.edit(model, claim.spec(), loaded));
      } catch (PermanentFailure e) {
        if (e.code() != ErrorCode.MODEL_NOT_FOUND) {
          throw e;
        }
        models.notFound(model, e.getMessage());
        refused.add(model + " answered model_not_found");
      }
    }
    throw new PermanentFailure(
        ErrorCode.MODEL_NOT_FOUND,
        "no model could run the job (set retouch.openai.model or retouch.openai.fallback-models"
            + " to current models): "
            + String.join("; ", refused));
  }

  /** The claimed model, then the usable fallbacks that accept the job (the others noted). */
  private List<String> candidates(Claim claim, int inputImages, List<String> refused) {
    List<String> candidates = new ArrayList<>(List.of(claim.model()));
    for (String model : models.usable()) {
      if (candidates.contains(model)) {
        continue;
      }
      var problem =
          models.capabilities(model).flatMap(c -> c.problem(model, claim.spec(), inputImages));
      if (problem.isPresent()) {
        refused.add(problem.get().message());
      } else {
        candidates.add(model);
      }
    }
    return candidates;
  }

  /**
   * Renews the lease now (not from the keeper's last round, which may be a third of a lease old)
   * and says whether the attempt must stop: canceled, or no longer this worker's.
   */
  private Optional<Outcome> checkpoint(RunningJob job) {
    if (job.leaseLost()) {
      return Optional.of(lost(job.claim()));
    }
    return switch (attempts.renewLease(job.claim(), settings.lease())) {
      case HELD -> Optional.empty();
      case CANCEL_REQUESTED -> Optional.of(cancelOrLost(job.claim(), List.of()));
      case LOST -> Optional.of(lost(job.claim()));
    };
  }

  /**
   * The attempt could not end as it wanted: a cancel was requested (end it canceled and delete what
   * it uploaded) or the job is no longer this attempt's (leave everything to the owner).
   */
  private Outcome cancelOrLost(Claim claim, List<String> uploaded) {
    if (!attempts.cancelProcessing(claim)) {
      return lost(claim);
    }
    log.info("job {} canceled during attempt {}", claim.jobId(), claim.attempt());
    for (String key : uploaded) {
      try {
        store.delete(key);
      } catch (StorageUnavailableException e) {
        log.warn(
            "job {} is canceled but its output {} stays: {}", claim.jobId(), key, e.getMessage());
      }
    }
    return Outcome.CANCELED;
  }

  private Outcome retryOrFail(
      Claim claim,
      ErrorCode code,
      String message,
      Optional<Duration> retryAfter,
      List<String> uploaded) {
    RetryPolicy.Decision decision =
        settings
            .retryPolicy()
            .afterTransientFailure(
                claim.attempt(), claim.createdAt(), clock.instant(), retryAfter, random);
    return switch (decision) {
      case RetryPolicy.Decision.RetryAt retry -> {
        log.info(
            "job {} attempt {} failed transiently ({}), next attempt at {}: {}",
            claim.jobId(),
            claim.attempt(),
            code.wireName(),
            retry.at(),
            message);
        yield attempts.retryLater(claim, code, message, retry.at())
            ? Outcome.RETRY_SCHEDULED
            : cancelOrLost(claim, uploaded);
      }
      case RetryPolicy.Decision.GiveUp giveUp -> {
        String summary =
            "gave up after %d attempt(s); last error (%s): %s"
                .formatted(claim.attempt(), code.wireName(), message);
        log.info("job {} {}", claim.jobId(), summary);
        yield attempts.fail(claim, giveUp.code(), summary)
            ? Outcome.FAILED
            : cancelOrLost(claim, uploaded);
      }
    };
  }

  private List<NewOutput> storeOutputs(Claim claim, List<byte[]> images, List<String> uploaded) {
    List<NewOutput> outputs = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      byte[] bytes = images.get(i);
      ImageFormat format =
          ImageFormat.sniff(bytes)
              .orElseThrow(
                  () ->
                      new PermanentFailure(
                          ErrorCode.INTERNAL, "the model returned data that is not an image"));
      String key = StorageKeys.output(claim.datasetId(), claim.jobId(), i, format.extension());
      observe(
          "retouch.s3.put",
          "s3 put output",
          claim,
          () -> {
            store.put(key, bytes, format.mimeType());
            return key;
          });
      uploaded.add(key);
      outputs.add(new NewOutput(i, key, format.mimeType(), bytes.length, Sha256.hex(bytes)));
    }
    return outputs;
  }

  /**
   * Runs {@code work} as an observation: a timer and, with tracing, a span in the job's trace (the
   * listener's span continues the submitting request's), carrying the job id.
   */
  private <T> T observe(String name, String contextualName, Claim claim, Supplier<T> work) {
    return Observation.createNotStarted(name, observations)
        .contextualName(contextualName)
        .highCardinalityKeyValue(JobTracing.JOB_ID, claim.jobId().toString())
        .highCardinalityKeyValue("job.attempt", Integer.toString(claim.attempt()))
        .observe(work);
  }

  private Outcome lost(Claim claim) {
    log.warn(
        "job {} attempt {} no longer belongs to this worker (lease taken over or canceled);"
            + " its result is dropped",
        claim.jobId(),
        claim.attempt());
    return Outcome.LOST;
  }
}
