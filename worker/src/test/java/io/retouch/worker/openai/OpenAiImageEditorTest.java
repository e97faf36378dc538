package io.retouch.worker.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.MultipartField;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImageModel;
import io.retouch.common.edit.EditOptions;
import io.retouch.common.edit.EditSpec;
import io.retouch.common.edit.ImageQuality;
import io.retouch.common.edit.ImageSize;
import io.retouch.common.image.ImageFormat;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.PermanentFailure;
import io.retouch.common.job.TransientFailure;
import io.retouch.common.openai.OpenAiProperties;
import io.retouch.testkit.openai.FakeOpenAi;
import io.retouch.testkit.openai.RecordedEdit;
import io.retouch.testkit.openai.ScriptedResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production SDK path against the wire-faithful fake: what goes out and how answers map. */
class OpenAiImageEditorTest {

  private static FakeOpenAi fake;
  private static OpenAiImageEditor editor;
  private static byte[] png;

  @BeforeAll
  static void start() throws IOException {
    fake = FakeOpenAi.start(0);
    editor =
        new OpenAiImageEditor(
            OpenAiClients.create(
                new OpenAiProperties(
                    null, null, "sk-test", URI.create(fake.baseUrl()), null, null, null)));
    BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    png = out.toByteArray();
  }

  @AfterAll
  static void stop() {
    fake.close();
  }

  @BeforeEach
  void reset() {
    fake.reset();
  }

  private static EditSpec spec(String prompt, int n, String size, String quality) {
    return new EditSpec(
        prompt,
        n,
        ImageSize.fromWireName(size).orElseThrow(),
        ImageQuality.fromWireName(quality).orElseThrow(),
        EditOptions.NONE);
  }

  private static List<EditInput> inputs(int count) {
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(i -> new EditInput("photo-" + i + ".png", png, ImageFormat.PNG))
        .toList();
  }

  @Test
  void a_file_name_that_would_break_the_multipart_header_is_sent_sanitized() {
    List<EditInput> inputs = List.of(new EditInput("my \"best\" photo\\", png, ImageFormat.PNG));

    EditOutcome outcome =
        editor.edit("gpt-image-2.6-sunburst", spec("make it blue", 1, "1024x1024", "low"), inputs);

    assertThat(outcome.images()).hasSize(1);
    RecordedEdit sent = fake.requests().getFirst();
    assertThat(sent.status()).isEqualTo(200);
    assertThat(sent.images().getFirst().fileName()).isEqualTo("my best photo_");
  }

  @Test
  void sends_every_input_as_an_image_part_with_its_type_and_returns_n_pngs_of_the_size()
      throws IOException {
    EditOutcome outcome =
        editor.edit(
            "gpt-image-2.6-sunburst", spec("make it blue", 3, "1536x1024", "low"), inputs(2));

    assertThat(outcome.images()).hasSize(3);
    BufferedImage first = ImageIO.read(new ByteArrayInputStream(outcome.images().getFirst()));
    assertThat(first.getWidth()).isEqualTo(1536);
    assertThat(first.getHeight()).isEqualTo(1024);
    assertThat(outcome.usage().totalTokens()).isPositive();

    RecordedEdit sent = fake.requests().getFirst();
    assertThat(sent.model()).isEqualTo("gpt-image-2.6-sunburst");
    assertThat(sent.n()).isEqualTo(3);
    assertThat(sent.size()).isEqualTo("1536x1024");
    assertThat(sent.quality()).isEqualTo("low");
    assertThat(sent.images())
        .hasSize(2)
        .allSatisfy(
            part -> {
              assertThat(part.fieldName()).isEqualTo("image[]");
              assertThat(part.contentType()).isEqualTo("image/png");
              assertThat(part.fileName()).isEqualTo("photo-0.png");
            });
  }

  @Test
  void an_image_longer_than_jacksons_default_string_cap_is_read() {
    // 16 MB is 21.3 million base64 characters: one JSON string above Jackson's default of 20
    // million, as a large high-quality PNG can be.
    byte[] large = new byte[16 * 1024 * 1024];
    large[large.length - 1] = 7;
    fake.enqueue(
        new ScriptedResponse(
            200,
            Map.of(),
            "{\"created\":1,\"data\":[{\"b64_json\":\""
                + Base64.getEncoder().encodeToString(large)
                + "\"}]}"));

    EditOutcome outcome =
        editor.edit("gpt-image-2.6-sunburst", spec("p", 1, "1024x1024", "high"), inputs(1));

    assertThat(outcome.images()).singleElement().isEqualTo(large);
  }

  @Test
  void a_content_policy_refusal_is_permanent_with_openais_message() {
    fake.enqueue(ScriptedResponse.contentPolicy());
    assertThatThrownBy(
            () ->
                editor.edit("gpt-image-2.6-sunburst", spec("p", 1, "1024x1024", "low"), inputs(1)))
        .isInstanceOfSatisfying(
            PermanentFailure.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPENAI_REJECTED))
        .hasMessageStartingWith("Your request was rejected as a result of our safety system");
  }

  @Test
  void rate_limiting_is_transient_and_carries_retry_after() {
    fake.enqueue(ScriptedResponse.rateLimited(Duration.ofSeconds(7)));
    assertThatThrownBy(
            () ->
                editor.edit("gpt-image-2.6-sunburst", spec("p", 1, "1024x1024", "low"), inputs(1)))
        .isInstanceOfSatisfying(
            TransientFailure.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.OPENAI_UNAVAILABLE);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
            });
  }

  @Test
  void a_server_error_is_transient() {
    fake.enqueue(ScriptedResponse.serverError());
    assertThatThrownBy(
            () ->
                editor.edit("gpt-image-2.6-sunburst", spec("p", 1, "1024x1024", "low"), inputs(1)))
        .isInstanceOf(TransientFailure.class)
        .hasMessageContaining("500");
  }

  @Test
  void an_unknown_model_fails_naming_the_setting() {
    assertThatThrownBy(
            () -> editor.edit("gpt-image-0", spec("p", 1, "1024x1024", "low"), inputs(1)))
        .isInstanceOfSatisfying(
            PermanentFailure.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND))
        .hasMessageContaining("retouch.openai.model");
  }

  @Test
  void refused_credentials_are_permanent() {
    fake.enqueue(ScriptedResponse.status(401, "Incorrect API key provided: sk-test."));
    assertThatThrownBy(
            () ->
                editor.edit("gpt-image-2.6-sunburst", spec("p", 1, "1024x1024", "low"), inputs(1)))
        .isInstanceOfSatisfying(
            PermanentFailure.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPENAI_AUTH))
        .hasMessageContaining("OPENAI_API_KEY");
  }

  @Test
  void an_unreachable_openai_is_transient() throws IOException {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    OpenAiImageEditor nowhere =
        new OpenAiImageEditor(
            OpenAIOkHttpClient.builder()
                .apiKey("sk-test")
                .baseUrl("http://127.0.0.1:" + closedPort + "/v1")
                .maxRetries(0)
                .build());
    assertThatThrownBy(
            () ->
                nowhere.edit("gpt-image-2.6-sunburst", spec("p", 1, "1024x1024", "low"), inputs(1)))
        .isInstanceOfSatisfying(
            TransientFailure.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.OPENAI_UNAVAILABLE));
  }

  @Test
  void options_are_passed_through_and_the_outputs_come_in_the_format_asked() throws IOException {
    EditSpec spec =
        new EditSpec(
            "make it blue",
            1,
            new ImageSize(1536, 864),
            ImageQuality.HIGH,
            new EditOptions(
                java.util.Optional.of(io.retouch.common.edit.OutputFormat.WEBP),
                java.util.Optional.of(70),
                java.util.Optional.of(io.retouch.common.edit.Background.TRANSPARENT),
                java.util.Optional.empty(),
                java.util.Optional.of(io.retouch.common.edit.Complexity.LOW)));

    EditOutcome outcome = editor.edit("gpt-image-2.6-sunburst", spec, inputs(1));

    assertThat(fake.requests().getFirst().fields())
        .containsEntry("size", "1536x864")
        .containsEntry("output_format", "webp")
        .containsEntry("output_compression", "70")
        .containsEntry("background", "transparent")
        .containsEntry("complexity", "low")
        .doesNotContainKey("input_fidelity");
    assertThat(io.retouch.common.image.ImageInspector.inspect(outcome.images().getFirst()))
        .isEqualTo(new io.retouch.common.image.ImageInfo(ImageFormat.WEBP, 1536, 864));
  }

  @Test
  void a_request_with_only_trieves_fields_sends_only_those_fields() {
    editor.edit("gpt-image-2.6-sunburst", spec("p", 2, "1024x1536", "medium"), inputs(1));

    assertThat(fake.requests().getFirst().fields())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(
                "model", "gpt-image-2.6-sunburst",
                "prompt", "p",
                "n", "2",
                "size", "1024x1536",
                "quality", "medium"));
  }

  /**
   * The multipart the editor sends for Trieve's fields, byte for byte (boundary aside), against the
   * one the editor built before the options existed: the same SDK calls in the same order.
   */
  @Test
  void a_request_with_only_trieves_fields_is_the_same_multipart_as_before() throws Exception {
    try (Capture capture = new Capture()) {
      OpenAIClient client =
          OpenAIOkHttpClient.builder()
              .apiKey("sk-test")
              .baseUrl(capture.baseUrl())
              .maxRetries(0)
              .build();
      List<EditInput> inputs = inputs(2);

      new OpenAiImageEditor(client)
          .edit("gpt-image-2.6-sunburst", spec("make it blue", 3, "1536x1024", "low"), inputs);
      List<InputStream> streams = new ArrayList<>();
      inputs.forEach(i -> streams.add(new ByteArrayInputStream(i.bytes())));
      client
          .images()
          .edit(
              ImageEditParams.builder()
                  .image(
                      MultipartField.<ImageEditParams.Image>builder()
                          .value(ImageEditParams.Image.ofInputStreams(streams))
                          .contentType("image/png")
                          .filename("photo-0.png")
                          .build())
                  .prompt("make it blue")
                  .model(ImageModel.of("gpt-image-2.6-sunburst"))
                  .n(3L)
                  .size(ImageEditParams.Size.of("1536x1024"))
                  .quality(ImageEditParams.Quality.of("low"))
                  .build());

      assertThat(capture.bodies()).hasSize(2);
      assertThat(capture.bodies().get(0)).isEqualTo(capture.bodies().get(1));
    }
  }

  /** An HTTP server that keeps every body it gets, boundary replaced, and answers one image. */
  private static final class Capture implements AutoCloseable {
    private final com.sun.net.httpserver.HttpServer server;
    private final List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();

    Capture() throws IOException {
      server =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/v1/images/edits",
          exchange -> {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            String boundary = type.substring(type.indexOf("boundary=") + 9);
            String body =
                new String(
                    exchange.getRequestBody().readAllBytes(),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            bodies.add(body.replace(boundary, "BOUNDARY"));
            byte[] answer =
                ("{\"created\":1,\"data\":[{\"b64_json\":\""
                        + java.util.Base64.getEncoder().encodeToString(png)
                        + "\"}]}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
          });
      server.start();
    }

    String baseUrl() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    List<String> bodies() {
      return bodies;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
