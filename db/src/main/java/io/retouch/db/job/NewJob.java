package io.retouch.db.job;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job about to be recorded; its inline inputs are already in object storage. */
public record NewJob(
    UUID id,
    UUID organizationId,
    UUID datasetId,
    String prompt,
    int n,
    String size,
    String quality,
    String mimeType,
    String model,
    List<Input> inputs,
    Instant createdAt) {

  public NewJob {
    inputs = List.copyOf(inputs);
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
