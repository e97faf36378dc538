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
 * @param bodyReadTimeout longest a request body may take to arrive, however steadily it trickles in
 *     (408 past it); an idle connection is cut sooner, by {@code server.tomcat.connection-timeout}
 * @param maxInflightBodyBytes request body bytes the whole process reads and holds at once; a
 *     submission that would go past it is answered 503 with {@code Retry-After} before its body is
 *     read (one submission alone is always let in). Inline images are decoded as they arrive, into
 *     temp files past 1 MiB, so a body byte costs temp-file space rather than heap; the default, a
 *     fifth of the maximum heap, is from when each cost about three bytes of heap
 * @param eventStreamTimeout how long a Server-Sent Events stream stays open; the client then
 *     reconnects with {@code Last-Event-ID} and misses nothing
 * @param eventKeepAlive how often an idle Server-Sent Events stream gets a comment line, so that
 *     proxies do not close it
 */
@ConfigurationProperties("retouch.api")
public record ApiProperties(
    Duration syncWait,
    Long maxBodyBytes,
    Duration waitRecheck,
    Duration retryAfter,
    Duration bodyReadTimeout,
    Long maxInflightBodyBytes,
    Duration eventStreamTimeout,
    Duration eventKeepAlive) {

  public ApiProperties {
    syncWait = syncWait == null ? Duration.ofSeconds(300) : syncWait;
    maxBodyBytes = maxBodyBytes == null ? 134_200_000L : maxBodyBytes;
    waitRecheck = waitRecheck == null ? Duration.ofSeconds(5) : waitRecheck;
    retryAfter = retryAfter == null ? Duration.ofSeconds(5) : retryAfter;
    bodyReadTimeout = bodyReadTimeout == null ? Duration.ofSeconds(120) : bodyReadTimeout;
    maxInflightBodyBytes =
        maxInflightBodyBytes == null ? Runtime.getRuntime().maxMemory() / 5 : maxInflightBodyBytes;
    eventStreamTimeout = eventStreamTimeout == null ? Duration.ofMinutes(30) : eventStreamTimeout;
    eventKeepAlive = eventKeepAlive == null ? Duration.ofSeconds(15) : eventKeepAlive;
    if (maxInflightBodyBytes <= 0 || bodyReadTimeout.isNegative() || bodyReadTimeout.isZero()) {
      throw new IllegalArgumentException(
          "retouch.api.max-inflight-body-bytes and retouch.api.body-read-timeout must be positive");
    }
    if (waitRecheck.compareTo(Duration.ofSeconds(1)) < 0) {
      // a shorter fallback would turn waiting back into database polling
      throw new IllegalArgumentException("retouch.api.wait-recheck must be at least 1s");
    }
  }
}
