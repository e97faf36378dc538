package io.retouch.worker.consume;

import static io.retouch.worker.consume.ConsumerConfiguration.requireGraceWithinShutdownPhase;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsumerConfigurationTest {

  @Test
  void a_grace_period_the_shutdown_phase_would_cut_short_is_refused() {
    assertThatThrownBy(
            () -> requireGraceWithinShutdownPhase(Duration.ofSeconds(120), Duration.ofSeconds(90)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("retouch.worker.shutdown-grace (PT2M)")
        .hasMessageContaining("spring.lifecycle.timeout-per-shutdown-phase (PT1M30S)");
  }

  @Test
  void the_default_grace_fits_the_worker_s_shutdown_phase() {
    assertThatCode(
            () -> requireGraceWithinShutdownPhase(Duration.ofSeconds(60), Duration.ofSeconds(90)))
        .doesNotThrowAnyException();
  }
}
