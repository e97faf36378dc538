package io.retouch.common.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a webhook delivery is tried: {@code delays.get(i)} is the wait before attempt {@code i + 1}
 * counted from the failure of attempt {@code i} (the first is counted from the event, and is 0:
 * right away). After the last one fails the delivery is exhausted. An answer's {@code Retry-After}
 * can push the next attempt later than the schedule says, never earlier, and at most {@link
 * #MAX_RETRY_AFTER} away.
 */
public record RetrySchedule(List<Duration> delays) {

  /** The schedule of the Standard Webhooks reference implementation (Svix), 10 attempts. */
  public static final RetrySchedule STANDARD =
      new RetrySchedule(
          List.of(
              Duration.ZERO,
              Duration.ofSeconds(5),
              Duration.ofMinutes(5),
              Duration.ofMinutes(30),
              Duration.ofHours(2),
              Duration.ofHours(5),
              Duration.ofHours(10),
              Duration.ofHours(14),
              Duration.ofHours(20),
              Duration.ofHours(24)));

  /** A receiver cannot park a delivery for longer than this. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

  public RetrySchedule {
    if (delays.isEmpty()) {
      throw new IllegalArgumentException("a retry schedule has at least one attempt");
    }
    if (delays.stream().anyMatch(Duration::isNegative)) {
      throw new IllegalArgumentException("a retry schedule's delays are not negative: " + delays);
    }
    delays = List.copyOf(delays);
  }

  public int attempts() {
    return delays.size();
  }

  /**
   * @param failed attempts made so far, all failed
   * @param retryAfter what the last answer asked for, if anything
   * @return when the next attempt is due, or empty when the schedule is used up
   */
  public Optional<Instant> next(int failed, Instant now, Optional<Duration> retryAfter) {
    if (failed >= delays.size()) {
      return Optional.empty();
    }
    Duration delay = delays.get(failed);
    Duration asked = retryAfter.filter(d -> !d.isNegative()).orElse(Duration.ZERO);
    if (asked.compareTo(MAX_RETRY_AFTER) > 0) {
      asked = MAX_RETRY_AFTER;
    }
    return Optional.of(now.plus(asked.compareTo(delay) > 0 ? asked : delay));
  }
}
