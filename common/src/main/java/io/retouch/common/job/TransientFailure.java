package io.retouch.common.job;

import java.time.Duration;
import java.util.Optional;

/** A failure that may pass: the job is retried under the retry policy. */
public final class TransientFailure extends JobFailure {

  private final Duration retryAfter;

  public TransientFailure(ErrorCode code, String message, Throwable cause) {
    this(code, message, null, cause);
  }

  public TransientFailure(ErrorCode code, String message, Duration retryAfter, Throwable cause) {
    super(code, message, cause);
    this.retryAfter = retryAfter;
  }

  /** The earliest retry the upstream asked for (HTTP {@code Retry-After}), if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
