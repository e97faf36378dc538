package io.retouch.common.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class JobTransitionsTest {

  private static final Set<String> ALLOWED =
      Set.of(
          "queued>processing",
          "queued>canceled",
          "queued>failed",
          "processing>succeeded",
          "processing>failed",
          "processing>queued",
          "processing>canceled");

  /** Every ordered pair of states: 25 rows, each either allowed or refused. */
  static Stream<Arguments> everyPair() {
    return EnumSet.allOf(JobStatus.class).stream()
        .flatMap(from -> EnumSet.allOf(JobStatus.class).stream().map(to -> Arguments.of(from, to)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("everyPair")
  void each_pair_is_allowed_exactly_when_the_table_says_so(JobStatus from, JobStatus to) {
    boolean expected = ALLOWED.contains(from.wireName() + ">" + to.wireName());
    assertThat(JobTransitions.isAllowed(from, to)).isEqualTo(expected);
    if (expected) {
      assertThatCode(() -> JobTransitions.check(from, to)).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> JobTransitions.check(from, to))
          .isInstanceOf(JobTransitions.IllegalTransitionException.class)
          .hasMessage("a job cannot go from " + from.wireName() + " to " + to.wireName());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = JobStatus.class,
      names = {"SUCCEEDED", "FAILED", "CANCELED"})
  void terminal_states_are_terminal_and_lead_nowhere(JobStatus terminal) {
    assertThat(terminal.isTerminal()).isTrue();
    for (JobStatus to : JobStatus.values()) {
      assertThat(JobTransitions.isAllowed(terminal, to)).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = JobStatus.class,
      names = {"QUEUED", "PROCESSING"})
  void live_states_are_not_terminal(JobStatus live) {
    assertThat(live.isTerminal()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(JobStatus.class)
  void wire_names_round_trip(JobStatus status) {
    assertThat(JobStatus.fromWireName(status.wireName())).contains(status);
  }
}
