package io.retouch.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictUuidTest {

  private static final UUID ID = UUID.fromString("01a20e07-5355-71b9-8156-11790cc9700d");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "01a20e07-5355-71b9-8156-11790cc9700d",
        "01A20E07-5355-71B9-8156-11790CC9700D",
        "01a20e07535571b9815611790cc9700d",
        "01A20E07535571B9815611790CC9700D"
      })
  void hyphenated_and_simple_forms_are_read(String value) {
    assertThat(StrictUuid.parse(value)).contains(ID);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024-01-02-03-04",
        "1-2-3-4-5",
        "01a20e07-5355-71b9-8156-11790cc9700",
        "01a20e07-5355-71b9-8156-11790cc9700d0",
        "01a20e075-355-71b9-8156-11790cc9700d",
        "01a20e07535571b9815611790cc9700",
        "01a20e07-5355-71b9-8156-11790cc9700g",
        "+1a20e07-5355-71b9-8156-11790cc9700d",
        " 01a20e07535571b9815611790cc9700d",
        "photos"
      })
  void anything_else_is_not_a_uuid(String value) {
    assertThat(StrictUuid.parse(value)).isEmpty();
  }

  @Test
  void the_highest_bits_survive_the_simple_form() {
    assertThat(StrictUuid.parse("ffffffffffffffffffffffffffffffff")).contains(new UUID(-1L, -1L));
  }
}
