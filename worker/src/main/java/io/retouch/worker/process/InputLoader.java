package io.retouch.worker.process;

import io.retouch.common.image.ImageFormat;
import io.retouch.common.image.ImageInspector;
import io.retouch.common.image.InvalidImageException;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.PermanentFailure;
import io.retouch.common.job.TransientFailure;
import io.retouch.common.storage.MissingObjectException;
import io.retouch.common.storage.ObjectStore;
import io.retouch.common.storage.Sha256;
import io.retouch.common.storage.StorageUnavailableException;
import io.retouch.db.job.JobRecord;
import io.retouch.db.job.JobStore;
import io.retouch.worker.fetch.SafeUrlFetcher;
import io.retouch.worker.openai.EditInput;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Brings a job's inputs into memory: inline ones from object storage, URL ones through the safe
 * fetcher. Every input must be an allowed image and all must share one type, as OpenAI sends one
 * content type for all of them; when the job has a {@code mime_type} it is that type. The API
 * checks inline inputs on intake, so in practice it is URL inputs, seen first here, that fail.
 */
public final class InputLoader {

  private final ObjectStore store;
  private final SafeUrlFetcher fetcher;
  private final JobStore jobs;

  public InputLoader(ObjectStore store, SafeUrlFetcher fetcher, JobStore jobs) {
    this.store = store;
    this.fetcher = fetcher;
    this.jobs = jobs;
  }

  /**
   * Loads the inputs of a job, checked against {@code declared} (the job's {@code mime_type}, which
   * a caller holding the claim already has); empty checks only that all inputs share one type.
   */
  public List<EditInput> load(UUID jobId, Optional<ImageFormat> declared) {
    List<EditInput> loaded = new ArrayList<>();
    for (JobRecord.Input input : jobs.inputs(jobId)) {
      EditInput edit = load(jobId, input);
      if (declared.isPresent() && edit.format() != declared.get()) {
        throw new PermanentFailure(
            ErrorCode.INVALID_INPUT,
            "input_images[%d] (%s) is %s but the job's mime_type is %s; all input images must have that type"
                .formatted(
                    input.index(),
                    input.fileName(),
                    edit.format().mimeType(),
                    declared.get().mimeType()));
      }
      if (!loaded.isEmpty() && loaded.getFirst().format() != edit.format()) {
        throw new PermanentFailure(
            ErrorCode.INVALID_INPUT,
            "input_images[%d] is %s but input_images[0] is %s; all input images must have the same type"
                .formatted(
                    input.index(),
                    edit.format().mimeType(),
                    loaded.getFirst().format().mimeType()));
      }
      loaded.add(edit);
    }
    if (loaded.isEmpty()) {
      throw new PermanentFailure(ErrorCode.INVALID_INPUT, "the job has no inputs");
    }
    return loaded;
  }

  private EditInput load(UUID jobId, JobRecord.Input input) {
    if (input.s3Key().isPresent()) {
      byte[] bytes = read(input.s3Key().get());
      return new EditInput(input.fileName(), bytes, sniff(input, bytes));
    }
    URI url = URI.create(input.sourceUrl().orElseThrow());
    byte[] bytes = fetcher.fetch(url);
    ImageFormat format = inspect(input, bytes);
    jobs.describeInput(jobId, input.index(), format.mimeType(), bytes.length, Sha256.hex(bytes));
    return new EditInput(input.fileName(), bytes, format);
  }

  private byte[] read(String key) {
    try {
      return store.get(key);
    } catch (MissingObjectException e) {
      throw new PermanentFailure(
          ErrorCode.INVALID_INPUT, "the stored input " + key + " is gone", e);
    } catch (StorageUnavailableException e) {
      throw new TransientFailure(ErrorCode.STORAGE_UNAVAILABLE, e.getMessage(), e);
    }
  }

  /**
   * A fetched input gets the structure check the API gives inline ones, before a paid model call
   * would find it broken.
   */
  private static ImageFormat inspect(JobRecord.Input input, byte[] bytes) {
    try {
      return ImageInspector.inspect(bytes).format();
    } catch (InvalidImageException e) {
      throw new PermanentFailure(
          ErrorCode.INVALID_INPUT,
          "input_images[%d] (%s) %s".formatted(input.index(), input.fileName(), e.getMessage()));
    }
  }

  /** Stored inputs passed the structure check at intake; the type is all that is needed. */
  private static ImageFormat sniff(JobRecord.Input input, byte[] bytes) {
    return ImageFormat.sniff(bytes)
        .orElseThrow(
            () ->
                new PermanentFailure(
                    ErrorCode.INVALID_INPUT,
                    "input_images[%d] (%s) is not a PNG, JPEG or WEBP image"
                        .formatted(input.index(), input.fileName())));
  }
}
