package io.retouch.common.edit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EditOptionsCodecTest {

  @Test
  void writes_only_what_was_set_and_reads_it_back() {
    EditOptions options =
        new EditOptions(
            Optional.of(OutputFormat.JPEG),
            Optional.of(60),
            Optional.of(Background.OPAQUE),
            Optional.of(InputFidelity.HIGH),
            Optional.of(Complexity.LOW));

    String json = EditOptionsCodec.toJson(options);

    assertThat(json)
        .isEqualTo(
            "{\"output_format\":\"jpeg\",\"output_compression\":60,\"background\":\"opaque\","
                + "\"input_fidelity\":\"high\",\"complexity\":\"low\"}");
    assertThat(EditOptionsCodec.fromJson(json)).isEqualTo(options);
    assertThat(EditOptionsCodec.toJson(EditOptions.NONE)).isEqualTo("{}");
    assertThat(EditOptionsCodec.fromJson("{}")).isEqualTo(EditOptions.NONE);
  }

  @Test
  void values_this_version_does_not_know_are_dropped() {
    assertThat(
            EditOptionsCodec.fromJson(
                "{\"output_format\":\"gif\",\"frame_count\":9,\"background\":\"auto\"}"))
        .isEqualTo(
            new EditOptions(
                Optional.empty(),
                Optional.empty(),
                Optional.of(Background.AUTO),
                Optional.empty(),
                Optional.empty()));
  }
}
