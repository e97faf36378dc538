package io.retouch.api.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.api.ApiProperties;
import io.retouch.api.http.ApiException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class BodyBudgetTest {

  private final BodyBudget budget =
      new BodyBudget(
          new ApiProperties(null, null, null, Duration.ofSeconds(7), null, 1_000L, null, null));

  @Test
  void permits_share_the_capacity_and_give_it_back() {
    try (var first = budget.admit(600)) {
      try (var second = budget.admit(400)) {
        assertThat(budget.inUse()).isEqualTo(1_000);
        assertThatThrownBy(() -> budget.admit(1))
            .isInstanceOfSatisfying(
                ApiException.class,
                e -> {
                  assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                  assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                });
      }
      assertThat(budget.inUse()).isEqualTo(600);
    }
    assertThat(budget.inUse()).isZero();
  }

  @Test
  void a_submission_alone_is_admitted_whatever_its_size_and_may_grow() {
    try (var alone = budget.admit(5_000)) {
      alone.growTo(9_000);
      assertThat(budget.inUse()).isEqualTo(9_000);
      assertThatThrownBy(() -> budget.admit(1)).isInstanceOf(ApiException.class);
    }
    assertThat(budget.inUse()).isZero();
  }

  @Test
  void a_chunked_body_grows_in_steps_and_is_refused_when_others_fill_the_budget() {
    try (var chunked = budget.admit(-1)) {
      chunked.cover(10, 100);
      assertThat(budget.inUse()).isEqualTo(100);
      chunked.cover(90, 100);
      assertThat(budget.inUse()).isEqualTo(100);
      try (var other = budget.admit(850)) {
        assertThatThrownBy(() -> chunked.cover(101, 100)).isInstanceOf(ApiException.class);
        assertThat(budget.inUse()).isEqualTo(950);
      }
    }
    assertThat(budget.inUse()).isZero();
  }
}
