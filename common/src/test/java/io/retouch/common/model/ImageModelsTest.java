package io.retouch.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.common.edit.ImageQuality;
import io.retouch.common.edit.ImageSize;
import io.retouch.common.openai.OpenAiProperties;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageModelsTest {

  private final ImageModels table = ImageModels.table();

  @Test
  void the_default_model_and_its_fallbacks_are_current_per_the_table() {
    for (String model : new OpenAiProperties(null, null, null, null, null, null, null).models()) {
      assertThat(table.of(model)).as(model).isPresent();
      assertThat(table.of(model).get().shutdownDate()).as(model + " shutdown date").isEmpty();
    }
    assertThat(OpenAiProperties.DEFAULT_MODEL).isEqualTo("gpt-image-2.6-sunburst");
  }

  @Test
  void the_table_says_when_it_was_checked_and_what_openai_retired() {
    assertThat(table.asOf()).isEqualTo(LocalDate.of(2026, 12, 1));
    assertThat(table.of("gpt-image-1").orElseThrow().shutdownDate())
        .contains(LocalDate.of(2026, 10, 23));
    assertThat(table.of("gpt-image-1.5").orElseThrow().shutdownDate())
        .contains(LocalDate.of(2026, 12, 1));
    assertThat(table.of("gpt-image-1-mini").orElseThrow().shutdownDate())
        .contains(LocalDate.of(2026, 12, 1));
  }

  @Test
  void every_model_takes_trieves_sizes_and_qualities() {
    for (ModelCapabilities family : table.families()) {
      assertThat(family.sizes()).as(family.family()).containsAll(ImageSize.STANDARD);
      assertThat(family.qualities())
          .as(family.family())
          .contains(ImageQuality.LOW, ImageQuality.MEDIUM, ImageQuality.HIGH);
      assertThat(family.maxN()).isEqualTo(10);
      assertThat(family.maxInputImages()).isEqualTo(16);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "gpt-image-2.6-sunburst, gpt-image-2.6",
    "gpt-image-2.6-flare, gpt-image-2.6",
    "gpt-image-2.5-sunburst-2026-09-08, gpt-image-2.5",
    "gpt-image-2.5-flare, gpt-image-2.5",
    "gpt-image-2-2026-04-21, gpt-image-2",
    "gpt-image-1.5-2025-12-16, gpt-image-1.5",
    "chatgpt-image-latest, gpt-image-1.5",
    "gpt-image-1, gpt-image-1",
  })
  void models_and_their_dated_snapshots_find_their_family(String model, String family) {
    assertThat(table.of(model)).map(ModelCapabilities::family).contains(family);
  }

  @ParameterizedTest
  @CsvSource({"gpt-image-9", "gpt-image-2.6", "gpt-image-2-latest", "dall-e-3"})
  void other_models_are_unknown(String model) {
    assertThat(table.of(model)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1536x864|",
        "3840x2160|",
        "1024x3072|",
        "1008x1008|",
        "1000x1000|width and height must both be multiples of 16",
        "3856x1024|no side may be longer than 3840 pixels",
        "512x512|it must have between 655360 and 8294400 pixels in all",
        "3840x1024|its aspect ratio must be between 1:3 and 3:1",
      })
  void custom_sizes_follow_the_rules_of_the_2x_models(String size, String problem) {
    CustomSizes rules =
        table.of("gpt-image-2.6-sunburst").orElseThrow().customSizes().orElseThrow();
    assertThat(rules.problem(ImageSize.fromWireName(size).orElseThrow()))
        .isEqualTo(java.util.Optional.ofNullable(problem));
  }
}
