package io.retouch.db.event;

import io.retouch.common.event.EventType;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One row of {@code job_events}: a status change of a job, as its transition wrote it.
 *
 * @param id increasing, the event's id everywhere (webhook-id, SSE id, message id)
 * @param attempt the job's attempt count when it happened
 * @param errorCode for failures and retries
 * @param nextAttemptAt for retries: when the next attempt is due
 */
public record JobEvent(
    long id,
    UUID jobId,
    UUID datasetId,
    EventType type,
    int attempt,
    Optional<String> errorCode,
    Optional<String> errorMessage,
    Optional<Instant> nextAttemptAt,
    Instant createdAt) {}
