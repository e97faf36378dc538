package io.retouch.common.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void the_standard_schedule_is_ten_attempts_from_right_away_to_a_day_apart() {
    RetrySchedule schedule = RetrySchedule.STANDARD;
    List<Duration> waits = new ArrayList<>();
    for (int failed = 0; failed < schedule.attempts(); failed++) {
      waits.add(Duration.between(NOW, schedule.next(failed, NOW, Optional.empty()).orElseThrow()));
    }

    assertThat(waits)
        .containsExactly(
            Duration.ZERO,
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(14),
            Duration.ofHours(20),
            Duration.ofHours(24));
    assertThat(schedule.next(10, NOW, Optional.empty())).as("exhausted").isEmpty();
  }

  @Test
  void retry_after_can_push_the_next_attempt_later_but_never_earlier() {
    RetrySchedule schedule = RetrySchedule.STANDARD;

    assertThat(schedule.next(2, NOW, Optional.of(Duration.ofMinutes(20))))
        .contains(NOW.plus(Duration.ofMinutes(20)));
    assertThat(schedule.next(2, NOW, Optional.of(Duration.ofSeconds(1))))
        .as("the schedule's 5 minutes win over a shorter Retry-After")
        .contains(NOW.plus(Duration.ofMinutes(5)));
    assertThat(schedule.next(1, NOW, Optional.of(Duration.ofDays(30))))
        .as("a receiver cannot park a delivery for a month")
        .contains(NOW.plus(RetrySchedule.MAX_RETRY_AFTER));
    assertThat(schedule.next(10, NOW, Optional.of(Duration.ofSeconds(1)))).isEmpty();
  }

  @Test
  void a_schedule_has_attempts_and_no_negative_waits() {
    assertThatThrownBy(() -> new RetrySchedule(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ofSeconds(-1))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void the_setting_defaults_to_the_standard_schedule() {
    WebhookProperties unset = new WebhookProperties(null, null, null, null, null, null, null);
    assertThat(unset.schedule()).isEqualTo(RetrySchedule.STANDARD);
    assertThat(unset.timeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(unset.lease()).isGreaterThan(unset.timeout());
    assertThat(unset.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(unset.allowPrivateNetworks()).isFalse();
  }
}
