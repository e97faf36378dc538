package io.retouch.api.jobs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job as clients see it (snake_case on the wire). {@code image_urls} are fresh at every read;
 * {@code urls_expire_at} says until when.
 */
public record JobResponse(
    UUID id,
    String status,
    List<String> imageUrls,
    Instant urlsExpireAt,
    Error error,
    String prompt,
    int n,
    String size,
    String quality,
    String mimeType,
    String model,
    List<InputImage> inputImages,
    int attempts,
    Instant cancelRequestedAt,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {

  public record Error(String code, String message) {}

  public record InputImage(String fileName, String mimeType, Long bytes) {}
}
