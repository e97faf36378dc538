package io.retouch.db.job;

import java.time.Duration;
import java.util.UUID;

/**
 * A client's {@code Idempotency-Key} for one submission, scoped to its dataset, with the hash of
 * the request it was first used with.
 */
public record IdempotencyKey(String key, String requestHash) {

  /** How long a key names its job. */
  public static final Duration WINDOW = Duration.ofHours(24);

  /** The job a key already names and the request hash it was created with. */
  public record Use(String requestHash, UUID jobId) {}
}
