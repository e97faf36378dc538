package io.retouch.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EditValidatorTest {

  private static final byte[] PNG = TestImages.png(8, 8, Color.BLUE);

  /** Before the 1.x models' shutdown on 2026-12-01, so their rules can be tested too. */
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 15);

  private static final FakeModels MODELS = FakeModels.ofTheTable();

  private static EditRequest validate(EditForm form) {
    return EditValidator.validate(form, MODELS, TODAY);
  }

  private static UploadedImage image(String contentType, byte[] bytes) {
    return Uploads.image(contentType, bytes);
  }

  private static EditForm form(Map<String, String> overrides, List<UploadedImage> images) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("model", "gpt-image-2.6-sunburst");
    fields.put("prompt", "make it pop");
    overrides.forEach(
        (k, v) -> {
          if (v == null) {
            fields.remove(k);
          } else {
            fields.put(k, v);
          }
        });
    return new EditForm(fields, images);
  }

  private static RequestRejected rejection(EditForm form) {
    return catchThrowableOfType(RequestRejected.class, () -> validate(form));
  }

  @Test
  void resolvesDefaults() {
    EditRequest request = validate(form(Map.of(), List.of(image("image/png", PNG))));

    assertThat(request.n()).isEqualTo(1);
    assertThat(request.size()).isEqualTo(new ImageSize(1024, 1024));
    assertThat(request.quality()).isEqualTo("high");
  }

  @Test
  void acceptsEveryDocumentedValue() {
    EditRequest request =
        validate(
            form(
                Map.of(
                    "model", "gpt-image-1.5",
                    "n", "10",
                    "size", "1024x1536",
                    "quality", "low",
                    "output_format", "png",
                    "background", "transparent",
                    "input_fidelity", "high"),
                List.of(
                    image("image/png", PNG),
                    image("image/jpeg", TestImages.jpeg(8, 8, Color.RED)),
                    image("image/webp", TestImages.webp()))));

    assertThat(request.n()).isEqualTo(10);
    assertThat(request.size()).isEqualTo(new ImageSize(1024, 1536));
    assertThat(request.quality()).isEqualTo("low");
    assertThat(request.images()).hasSize(3);
  }

  @ParameterizedTest(name = "{0}={1} -> {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "model|NULL|missing_required_parameter",
        "prompt|NULL|missing_required_parameter",
        "prompt|''|empty_string",
        "n|0|integer_below_min_value",
        "n|11|integer_above_max_value",
        "n|two|invalid_type",
        "size|512x512|invalid_value",
        "quality|ultra|invalid_value",
        "output_format|gif|invalid_value",
        "output_compression|101|invalid_value",
        "output_compression|50|invalid_value",
        "output_compression|x|invalid_type",
        "complexity|extreme|invalid_value",
        "background|green|invalid_value",
        "input_fidelity|medium|invalid_value",
        "response_format|url|invalid_value",
        "stream|true|invalid_value",
        "style|vivid|unknown_parameter"
      })
  void rejectsBadFieldsWithOpenAiCodes(String field, String value, String code) {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put(field, value);

    RequestRejected rejected = rejection(form(overrides, List.of(image("image/png", PNG))));

    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.error().type()).isEqualTo("invalid_request_error");
    assertThat(rejected.error().param()).isEqualTo(field);
    assertThat(rejected.error().code()).isEqualTo(code);
  }

  @Test
  void explainsInvalidValuesLikeOpenAi() {
    RequestRejected rejected =
        rejection(
            form(
                Map.of("model", "gpt-image-1.5", "size", "512x512"),
                List.of(image("image/png", PNG))));

    assertThat(rejected.error().message())
        .isEqualTo(
            "Invalid value: '512x512'. Supported values are: '1024x1024', '1536x1024',"
                + " '1024x1536', and 'auto'.");
  }

  @Test
  void limitsPromptToThirtyTwoThousandCharacters() {
    String longest = "x".repeat(32_000);
    assertThat(validate(form(Map.of("prompt", longest), List.of(image("image/png", PNG)))).prompt())
        .hasSize(32_000);

    RequestRejected rejected =
        rejection(form(Map.of("prompt", longest + "x"), List.of(image("image/png", PNG))));
    assertThat(rejected.error().code()).isEqualTo("string_above_max_length");
  }

  @Test
  void requiresOneToSixteenImages() {
    assertThat(rejection(form(Map.of(), List.of())).error())
        .isEqualTo(
            OpenAiError.invalidRequest(
                "Missing required parameter: 'image'.", "image", "missing_required_parameter"));

    List<UploadedImage> sixteen = Collections.nCopies(16, image("image/png", PNG));
    assertThat(validate(form(Map.of(), sixteen)).images()).hasSize(16);

    List<UploadedImage> seventeen = Collections.nCopies(17, image("image/png", PNG));
    assertThat(rejection(form(Map.of(), seventeen)).error().code())
        .isEqualTo("array_above_max_length");
  }

  @Test
  void rejectsUnsupportedMimetypesExactlyLikeOpenAi() {
    RequestRejected rejected =
        rejection(form(Map.of(), List.of(image("application/octet-stream", PNG))));

    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.error().toJson())
        .isEqualTo(
            "{\"error\":{\"message\":\"Invalid file 'image': unsupported mimetype"
                + " ('application/octet-stream'). Supported file formats are 'image/jpeg',"
                + " 'image/png', and 'image/webp'.\",\"type\":\"invalid_request_error\","
                + "\"param\":\"image\",\"code\":\"unsupported_file_mimetype\"}}");
    assertThat(rejection(form(Map.of(), List.of(image(null, PNG)))).error().message())
        .contains("('text/plain')");
  }

  @Test
  void acceptsMimetypeParametersAndCase() {
    assertThat(validate(form(Map.of(), List.of(image("Image/PNG; name=a.png", PNG)))).images())
        .hasSize(1);
  }

  @ParameterizedTest
  @CsvSource({"image/png", "image/jpeg", "image/webp"})
  void rejectsBytesThatAreNotTheDeclaredFormat(String contentType) {
    byte[] gif = "GIF89a-not-what-it-claims".getBytes(StandardCharsets.US_ASCII);

    RequestRejected rejected = rejection(form(Map.of(), List.of(image(contentType, gif))));

    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.error().param()).isEqualTo("image");
    assertThat(rejected.error().code()).isEqualTo("invalid_image_file");
  }

  @Test
  void unknownModelIsNotFound() {
    RequestRejected rejected =
        rejection(form(Map.of("model", "dall-e-2"), List.of(image("image/png", PNG))));

    assertThat(rejected.status()).isEqualTo(404);
    assertThat(rejected.error())
        .isEqualTo(
            OpenAiError.invalidRequest(
                "The model `dall-e-2` does not exist or you do not have access to it.",
                null,
                "model_not_found"));
  }

  @ParameterizedTest(name = "{0} {1}={2}: {4}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gpt-image-2.6-sunburst|size|1000x1000|size|Invalid size '1000x1000'. Width and height must both be multiples of 16.",
        "gpt-image-2.6-sunburst|size|3856x1008|size|Invalid size '3856x1008'. No side may be longer than 3840 pixels.",
        "gpt-image-2.6-sunburst|size|3840x1024|size|Invalid size '3840x1024'. Its aspect ratio must be between 1:3 and 3:1.",
        "gpt-image-2.6-sunburst|size|square|size|Invalid size 'square'. Expected WIDTHxHEIGHT, for example '1824x1024'.",
        "gpt-image-2|quality|xhigh|quality|Invalid value: 'xhigh'. Supported values are: 'low', 'medium', 'high', and 'auto'.",
        "gpt-image-2|background|transparent|background|Transparent background is not supported for this model.",
        "gpt-image-2|input_fidelity|high|input_fidelity|The model 'gpt-image-2' does not support the 'input_fidelity' parameter.",
        "gpt-image-2.5-sunburst|complexity|low|complexity|The model 'gpt-image-2.5-sunburst' does not support the 'complexity' parameter.",
        "gpt-image-1-mini|input_fidelity|high|input_fidelity|The value given for 'input_fidelity' is not supported by the model 'gpt-image-1-mini'.",
        "gpt-image-1.5|size|1536x864|size|Invalid value: '1536x864'. Supported values are: '1024x1024', '1536x1024', '1024x1536', and 'auto'.",
      })
  void rejectsWhatEachModelDoesNotTake(
      String model, String field, String value, String param, String message) {
    RequestRejected rejected =
        rejection(form(Map.of("model", model, field, value), List.of(image("image/png", PNG))));

    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.error().param()).isEqualTo(param);
    assertThat(rejected.error().message()).isEqualTo(message);
  }

  @Test
  void aTransparentBackgroundNeedsAFormatWithAlpha() {
    RequestRejected rejected =
        rejection(
            form(
                Map.of("background", "transparent", "output_format", "jpeg"),
                List.of(image("image/png", PNG))));

    assertThat(rejected.error().message())
        .isEqualTo("Transparent background requires output_format 'png' or 'webp'.");
  }

  @Test
  void takesTheNewModelsOptions() {
    EditRequest request =
        validate(
            form(
                Map.of(
                    "size", "1536x864",
                    "quality", "xhigh",
                    "output_format", "webp",
                    "output_compression", "80",
                    "background", "transparent",
                    "complexity", "low"),
                List.of(image("image/png", PNG))));

    assertThat(request.size()).isEqualTo(new ImageSize(1536, 864));
    assertThat(request.quality()).isEqualTo("xhigh");
    assertThat(request.outputFormat()).isEqualTo("webp");
    assertThat(request.compression()).isEqualTo(80);
    assertThat(request.transparent()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"gpt-image-1, true", "gpt-image-1.5, true", "gpt-image-9, false"})
  void aModelPastItsShutdownDateIsGoneAsOpenAiSaysIt(String model, boolean retired) {
    RequestRejected rejected =
        catchThrowableOfType(
            RequestRejected.class,
            () ->
                EditValidator.validate(
                    form(Map.of("model", model), List.of(image("image/png", PNG))),
                    MODELS,
                    LocalDate.of(2026, 12, 1)));

    assertThat(rejected.status()).isEqualTo(404);
    assertThat(rejected.error().code()).isEqualTo("model_not_found");
    assertThat(rejected.error().message())
        .contains(retired ? "has been deprecated" : "does not exist or you do not have access");
  }
}
