package io.retouch.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobMessageCodecTest {

  @Test
  void round_trips_with_snake_case_fields() {
    JobMessage message = new JobMessage(UUID.randomUUID(), 3);
    byte[] json = JobMessageCodec.encode(message);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo("{\"job_id\":\"" + message.jobId() + "\",\"attempt\":3}");
    assertThat(JobMessageCodec.decode(json)).isEqualTo(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "[]", "{}", "{\"job_id\":42}", "{\"job_id\":\"nope\"}", ""})
  void anything_else_is_malformed(String body) {
    assertThatThrownBy(() -> JobMessageCodec.decode(body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(JobMessageCodec.MalformedMessageException.class);
  }
}
