package io.retouch.common.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private final RetryPolicy noJitter =
      new RetryPolicy(
          5, Duration.ofSeconds(2), 2.0, Duration.ofSeconds(10), 0.0, Duration.ofMinutes(30));

  @Test
  void backoff_grows_exponentially_up_to_the_cap() {
    assertThat(noJitter.backoff(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(noJitter.backoff(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(noJitter.backoff(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(noJitter.backoff(4)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void retries_after_the_backoff_while_attempts_remain() {
    var decision =
        noJitter.afterTransientFailure(2, CREATED, CREATED, Optional.empty(), new Random(1));
    assertThat(decision).isEqualTo(new RetryPolicy.Decision.RetryAt(CREATED.plusSeconds(4)));
  }

  @Test
  void gives_up_when_attempts_are_exhausted() {
    var decision =
        noJitter.afterTransientFailure(5, CREATED, CREATED, Optional.empty(), new Random(1));
    assertThat(decision).isEqualTo(new RetryPolicy.Decision.GiveUp(ErrorCode.RETRIES_EXHAUSTED));
  }

  @Test
  void a_longer_retry_after_wins_over_the_backoff() {
    var decision =
        noJitter.afterTransientFailure(
            1, CREATED, CREATED, Optional.of(Duration.ofSeconds(30)), new Random(1));
    assertThat(decision).isEqualTo(new RetryPolicy.Decision.RetryAt(CREATED.plusSeconds(30)));
  }

  @Test
  void gives_up_when_the_next_attempt_would_pass_the_deadline() {
    Instant late = CREATED.plus(Duration.ofMinutes(30)).minusSeconds(1);
    var decision =
        noJitter.afterTransientFailure(1, CREATED, late, Optional.empty(), new Random(1));
    assertThat(decision).isEqualTo(new RetryPolicy.Decision.GiveUp(ErrorCode.DEADLINE_EXCEEDED));
  }

  @Test
  void jitter_stays_within_its_fraction() {
    RetryPolicy jittered = RetryPolicy.defaults();
    Random random = new Random(42);
    Set<Long> delays = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      var decision =
          (RetryPolicy.Decision.RetryAt)
              jittered.afterTransientFailure(1, CREATED, CREATED, Optional.empty(), random);
      long millis = Duration.between(CREATED, decision.at()).toMillis();
      assertThat(millis).isBetween(1600L, 2400L);
      delays.add(millis);
    }
    // spread over the band, so retries of jobs that failed together do not come back together
    assertThat(delays.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThan(1700L);
    assertThat(delays.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(2300L);
    assertThat(delays).hasSizeGreaterThan(500);
  }

  @Test
  void the_defaults_are_five_attempts_within_thirty_minutes() {
    RetryPolicy defaults = RetryPolicy.defaults();
    assertThat(defaults.maxAttempts()).isEqualTo(5);
    assertThat(defaults.deadline()).isEqualTo(Duration.ofMinutes(30));
    assertThat(defaults.backoff(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.backoff(10)).isEqualTo(Duration.ofMinutes(1));
    assertThat(defaults.jitter()).isEqualTo(0.2);
  }

  @Test
  void rejects_nonsense() {
    assertThatThrownBy(
            () ->
                new RetryPolicy(
                    0,
                    Duration.ofSeconds(2),
                    2.0,
                    Duration.ofMinutes(1),
                    0.2,
                    Duration.ofMinutes(30)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
