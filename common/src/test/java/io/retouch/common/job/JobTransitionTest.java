package io.retouch.common.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.common.event.EventType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobTransitionTest {

  @ParameterizedTest
  @EnumSource(JobTransition.class)
  void every_transition_is_an_edge_of_the_state_machine(JobTransition transition) {
    for (JobStatus from : transition.from()) {
      assertThat(JobTransitions.isAllowed(from, transition.to()))
          .as("%s: %s -> %s", transition, from, transition.to())
          .isTrue();
    }
    assertThat(transition.from().isEmpty()).isEqualTo(transition == JobTransition.SUBMIT);
  }

  @ParameterizedTest
  @EnumSource(JobTransition.class)
  void a_terminal_state_is_announced_by_a_terminal_event_and_only_then(JobTransition transition) {
    assertThat(transition.event().isTerminal()).isEqualTo(transition.to().isTerminal());
    assertThat(transition.event().wireName()).startsWith("edit_image.");
    assertThat(EventType.fromWireName(transition.event().wireName())).contains(transition.event());
  }
}
