package io.retouch.api.intake;

import static io.retouch.api.support.Requests.image;
import static io.retouch.api.support.Requests.jpeg;
import static io.retouch.api.support.Requests.png;
import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.s3.S3Client;

/** Every kind of bad submission is a clear 4xx naming the problem, and changes nothing. */
class BadRequestCatalogueTest extends ApiIntegrationTest {

  @Autowired S3Client s3;

  static Stream<Arguments> badBodies() {
    String png = image("a.png", png());
    return Stream.of(
        Arguments.of("not JSON", "{\"input_images\": [", "not valid JSON"),
        Arguments.of("empty body", "", "must be a JSON object"),
        Arguments.of("a JSON array", "[]", "must be a JSON object"),
        Arguments.of("trailing garbage", "{\"prompt\":\"p\"} x", "not valid JSON"),
        Arguments.of(
            "n as a string",
            "{\"input_images\":[" + png + "],\"prompt\":\"p\",\"n\":\"three\"}",
            "n has the wrong type"),
        Arguments.of(
            "n as a fraction",
            "{\"input_images\":[" + png + "],\"prompt\":\"p\",\"n\":1.5}",
            "n has the wrong type"),
        Arguments.of(
            "prompt as a number",
            "{\"input_images\":[" + png + "],\"prompt\":42}",
            "prompt has the wrong type"),
        Arguments.of(
            "images as a string",
            "{\"input_images\":\"a.png\",\"prompt\":\"p\"}",
            "input_images has the wrong type"),
        Arguments.of(
            "image_src as a string",
            "{\"input_images\":[{\"file_name\":\"a\",\"image_src\":\"x\"}],\"prompt\":\"p\"}",
            "input_images[0].image_src has the wrong type"),
        Arguments.of("no images", "{\"input_images\":[],\"prompt\":\"p\"}", "input_images must"),
        Arguments.of(
            "seventeen images",
            "{\"input_images\":["
                + String.join(",", Collections.nCopies(17, png))
                + "],\"prompt\":\"p\"}",
            "between 1 and 16"),
        Arguments.of(
            "no file name",
            "{\"input_images\":[{\"image_src\":{\"base64\":\"iVBORw0KGgo=\"}}],\"prompt\":\"p\"}",
            "input_images[0].file_name is required"),
        Arguments.of(
            "broken base64",
            "{\"input_images\":[{\"file_name\":\"a\",\"image_src\":{\"base64\":\"%%%\"}}],\"prompt\":\"p\"}",
            "input_images[0].image_src.base64 is not valid base64"),
        Arguments.of(
            "not an image",
            "{\"input_images\":[" + image("a.gif", "GIF89a...".getBytes()) + "],\"prompt\":\"p\"}",
            "is not a PNG, JPEG or WEBP image"),
        Arguments.of(
            "mixed types",
            "{\"input_images\":[" + png + "," + image("b.jpg", jpeg()) + "],\"prompt\":\"p\"}",
            "all input images must have the same type"),
        Arguments.of(
            "mime type disagrees",
            "{\"input_images\":[" + png + "],\"prompt\":\"p\",\"mime_type\":\"image/jpeg\"}",
            "mime_type is image/jpeg but input_images[0] is image/png"),
        Arguments.of(
            "an ftp url",
            "{\"input_images\":[{\"file_name\":\"a\",\"image_src\":{\"url\":\"ftp://x/a.png\"}}],\"prompt\":\"p\"}",
            "input_images[0].image_src.url must be an absolute http or https URL"),
        Arguments.of("no prompt", "{\"input_images\":[" + png + "]}", "prompt is required"),
        Arguments.of(
            "prompt too long",
            "{\"input_images\":[" + png + "],\"prompt\":\"" + "x".repeat(32_001) + "\"}",
            "prompt must be at most 32000 characters"),
        Arguments.of(
            "n too large",
            "{\"input_images\":[" + png + "],\"prompt\":\"p\",\"n\":11}",
            "n must be between 1 and 10"),
        Arguments.of(
            "unknown quality",
            "{\"input_images\":[" + png + "],\"prompt\":\"p\",\"quality\":\"ultra\"}",
            "quality must be one of low, medium, high"),
        Arguments.of(
            "unknown size",
            "{\"input_images\":[" + png + "],\"prompt\":\"p\",\"size\":\"256x256\"}",
            "size 256x256 is not accepted by gpt-image-2.6-sunburst: it must have between"),
        Arguments.of(
            "a size that is no size",
            "{\"input_images\":[" + png + "],\"prompt\":\"p\",\"size\":\"big\"}",
            "size must be one of 1024x1024, 1536x1024, 1024x1536, auto, or WIDTHxHEIGHT"),
        Arguments.of(
            "an option the model does not take",
            "{\"input_images\":[" + png + "],\"prompt\":\"p\",\"input_fidelity\":\"high\"}",
            "input_fidelity is not supported by gpt-image-2.6-sunburst"),
        Arguments.of(
            "a transparent JPEG",
            "{\"input_images\":["
                + png
                + "],\"prompt\":\"p\",\"output_format\":\"jpeg\","
                + "\"background\":\"transparent\"}",
            "a transparent background needs output_format png, webp, not jpeg"),
        Arguments.of(
            "compression as text",
            "{\"input_images\":[" + png + "],\"prompt\":\"p\",\"output_compression\":\"80\"}",
            "output_compression has the wrong type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void each_bad_body_is_a_400_naming_the_problem_and_stores_nothing(
      String name, String body, String message) {
    long jobsBefore = jobCount();
    long objectsBefore = objectCount();

    Answer answer = submit(body);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.message()).contains(message);
    assertThat(jobCount()).isEqualTo(jobsBefore);
    assertThat(objectCount()).isEqualTo(objectsBefore);
  }

  @Test
  void a_body_over_the_limit_is_a_413_even_when_sent_chunked() {
    String huge =
        "{\"input_images\":[" + image("a.png", new byte[2_400_000]) + "],\"prompt\":\"p\"}";
    long jobsBefore = jobCount();
    Answer declared = submit(huge);
    Answer chunked = api.postChunked(EDIT, huge, asOwner("Prefer", "respond-async"));
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.message()).contains("larger than 3000000 bytes");
    assertThat(chunked.status()).isEqualTo(413);
    assertThat(jobCount()).isEqualTo(jobsBefore);
  }

  @Test
  void a_body_that_is_not_json_is_a_415() {
    Answer answer =
        api.post(EDIT, "prompt=p", asOwner("Content-Type", "application/x-www-form-urlencoded"));
    assertThat(answer.status()).isEqualTo(415);
    assertThat(answer.message()).contains("must be JSON");
  }

  @Test
  void listing_rejects_bad_parameters_by_name() {
    assertThat(list("?status=exploded").message()).contains("status must be one of");
    assertThat(list("?limit=0").message()).contains("limit must be between 1 and 100");
    assertThat(list("?limit=many").status()).isEqualTo(400);
    assertThat(list("?cursor=%25%25%25").status()).isEqualTo(400);
  }

  @Test
  void an_unknown_or_malformed_job_id_is_a_404() {
    assertThat(api.get(EDIT + "/not-a-uuid", asOwner()).status()).isEqualTo(404);
    assertThat(api.get(EDIT + "/01a20e07-0000-7000-8000-000000000000", asOwner()).status())
        .isEqualTo(404);
  }

  private Answer list(String query) {
    return api.get(EDIT + query, asOwner());
  }

  private Answer submit(String body) {
    return api.post(EDIT, body, asOwner("Prefer", "respond-async"));
  }

  private long objectCount() {
    return s3.listObjectsV2(b -> b.bucket("api-tests")).keyCount();
  }
}
