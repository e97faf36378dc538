package io.retouch.common.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a transiently failed job again: exponential backoff with jitter, capped, honouring
 * the upstream's {@code Retry-After}, bounded by a maximum number of attempts and by a total
 * deadline counted from the job's creation.
 *
 * @param maxAttempts attempts in all, the first included
 * @param initialBackoff delay after the first failed attempt
 * @param multiplier growth of the delay per further attempt
 * @param maxBackoff cap of a single delay (a longer {@code Retry-After} still wins)
 * @param jitter fraction of the delay randomised either way (0.2 = ±20 %) so retries spread out
 * @param deadline no attempt starts later than this after the job was created
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    double multiplier,
    Duration maxBackoff,
    double jitter,
    Duration deadline) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(deadline, "deadline");
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("multiplier must be at least 1");
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1)");
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(
        5, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 0.2, Duration.ofMinutes(30));
  }

  /** The delay before attempt {@code attemptsMade + 1}, before jitter and Retry-After. */
  public Duration backoff(int attemptsMade) {
    double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attemptsMade - 1));
    return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
  }

  /**
   * Decides what follows a transient failure of attempt number {@code attemptsMade}.
   *
   * @return the instant of the next attempt, or empty when the job must fail now
   */
  public Decision afterTransientFailure(
      int attemptsMade,
      Instant jobCreatedAt,
      Instant now,
      Optional<Duration> retryAfter,
      RandomGenerator random) {
    if (attemptsMade >= maxAttempts) {
      return new Decision.GiveUp(ErrorCode.RETRIES_EXHAUSTED);
    }
    Duration delay = jittered(backoff(attemptsMade), random);
    if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
      delay = retryAfter.get();
    }
    Instant next = now.plus(delay);
    if (next.isAfter(jobCreatedAt.plus(deadline))) {
      return new Decision.GiveUp(ErrorCode.DEADLINE_EXCEEDED);
    }
    return new Decision.RetryAt(next);
  }

  private Duration jittered(Duration delay, RandomGenerator random) {
    if (jitter == 0) {
      return delay;
    }
    double factor = 1 + jitter * (2 * random.nextDouble() - 1);
    return Duration.ofMillis(Math.round(delay.toMillis() * factor));
  }

  /** What to do after a transient failure. */
  public sealed interface Decision {
    record RetryAt(Instant at) implements Decision {}

    record GiveUp(ErrorCode code) implements Decision {}
  }
}
