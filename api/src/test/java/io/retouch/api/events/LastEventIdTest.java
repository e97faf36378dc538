package io.retouch.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.common.edit.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LastEventIdTest {

  @Test
  void no_header_or_a_blank_one_means_from_the_start() {
    assertThat(LastEventId.parse(null)).isEmpty();
    assertThat(LastEventId.parse("  ")).isEmpty();
  }

  @Test
  void an_event_id_is_read_as_sent_with_surrounding_space_ignored() {
    assertThat(LastEventId.parse("0")).hasValue(0);
    assertThat(LastEventId.parse(" 42 ")).hasValue(42);
    assertThat(LastEventId.parse("999999999999999999")).hasValue(999_999_999_999_999_999L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "4.2", "abc", "1e3", "0x10", "9999999999999999999", "12 13"})
  void anything_else_is_a_400_naming_the_header(String header) {
    assertThatThrownBy(() -> LastEventId.parse(header))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("Last-Event-ID"))
        .hasMessageContaining("must be the id of an event");
  }
}
