package io.retouch.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The HTTP API ({@code retouch.api.*}).
 *
 * @param syncWait longest a request waits for its job (submission without {@code Prefer:
 *     respond-async}, or any {@code Prefer: wait=N}); Trieve's own timeout is 300 s
 * @param maxBodyBytes largest accepted request body; Trieve's limit is 134,200,000 bytes
 * @param waitRecheck how often waiters re-read job statuses from the database, as a fallback to the
 *     notifications that normally wake them
 * @param retryAfter the {@code Retry-After} sent with 503 answers when a dependency is down
 */
@ConfigurationProperties("retouch.api")
public record ApiProperties(
    Duration syncWait, Long maxBodyBytes, Duration waitRecheck, Duration retryAfter) {

  public ApiProperties {
    syncWait = syncWait == null ? Duration.ofSeconds(300) : syncWait;
    maxBodyBytes = maxBodyBytes == null ? 134_200_000L : maxBodyBytes;
    waitRecheck = waitRecheck == null ? Duration.ofSeconds(5) : waitRecheck;
    retryAfter = retryAfter == null ? Duration.ofSeconds(5) : retryAfter;
    if (waitRecheck.compareTo(Duration.ofSeconds(1)) < 0) {
      // a shorter fallback would turn waiting back into database polling
      throw new IllegalArgumentException("retouch.api.wait-recheck must be at least 1s");
    }
  }
}
