package io.retouch.db.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job as clients see it (snake_case on the wire): in API answers, in the {@code data} of events
 * (Server-Sent Events, webhooks, the events exchange). {@code image_urls} are fresh at every read;
 * {@code urls_expire_at} says until when. The options beyond Trieve's contract are null when the
 * request did not set them; {@code model} is the model the job ran (or runs) on; {@code webhook}
 * and {@code webhook_events_filter} are the job's own webhook, null when it has none; {@code
 * next_attempt_at} is when a job waiting for a retry is tried again ({@code error} says why). A
 * queued job has {@code queue_position}, the jobs that start before it under the fair policy as the
 * queue stands now, and {@code estimated_start_at} from the recent start rate (null without recent
 * starts); both are null otherwise.
 */
public record JobView(
    UUID id,
    String status,
    List<String> imageUrls,
    Instant urlsExpireAt,
    Error error,
    String prompt,
    int n,
    String size,
    String quality,
    String outputFormat,
    Integer outputCompression,
    String background,
    String inputFidelity,
    String complexity,
    String mimeType,
    String model,
    List<InputImage> inputImages,
    int attempts,
    Instant nextAttemptAt,
    Long queuePosition,
    Instant estimatedStartAt,
    Instant cancelRequestedAt,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    String webhook,
    List<String> webhookEventsFilter) {

  public record Error(String code, String message) {}

  public record InputImage(String fileName, String mimeType, Long bytes) {}
}
