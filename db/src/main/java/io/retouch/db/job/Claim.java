package io.retouch.db.job;

import java.time.Instant;
import java.util.UUID;

/**
 * A worker's hold on one attempt of a job. Every later write names the attempt and the worker, so a
 * worker whose lease was taken over cannot overwrite the newer attempt.
 */
public record Claim(
    UUID jobId,
    UUID datasetId,
    int attempt,
    String workerId,
    String prompt,
    int n,
    String size,
    String quality,
    String mimeType,
    String model,
    Instant createdAt,
    Instant leaseExpiresAt) {}
