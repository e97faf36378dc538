package io.retouch.db.job;

import io.retouch.common.edit.EditSpec;
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
    EditSpec spec,
    String mimeType,
    String model,
    Instant createdAt,
    Instant leaseExpiresAt) {}
