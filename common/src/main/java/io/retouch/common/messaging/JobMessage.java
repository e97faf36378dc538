package io.retouch.common.messaging;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/**
 * The body of a job message: {@code {"job_id": "…", "attempt": n}}. It never carries image bytes;
 * the job row is the source of truth and the message only says "look at this job".
 */
public record JobMessage(
    @JsonProperty("job_id") UUID jobId, @JsonProperty("attempt") int attempt) {}
