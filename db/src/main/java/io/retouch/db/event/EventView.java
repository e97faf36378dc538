package io.retouch.db.event;

import java.time.Instant;

/**
 * An event as every channel carries it: {@code {"id", "type", "timestamp", "data"}}, with {@code
 * data} the job as the API shows it when the event is sent (result URLs presigned then; a retried
 * or replayed event shows the job's current state, its {@code type} says what happened).
 */
public record EventView(long id, String type, Instant timestamp, JobView data) {}
