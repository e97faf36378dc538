package io.retouch.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.MultipartField;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.images.Image;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImagesResponse;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the fake with the official OpenAI Java SDK, the way the worker will talk to OpenAI. */
class FakeOpenAiSdkTest {

  private static final byte[] PNG = TestImages.png(32, 24, Color.CYAN);
  private static final byte[] JPEG = TestImages.jpeg(24, 32, Color.YELLOW);

  private static FakeOpenAi fake;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    fake = FakeOpenAi.start(0);
    client = clientWithRetries(0);
  }

  @AfterAll
  static void stop() {
    client.close();
    fake.close();
  }

  @BeforeEach
  void reset() {
    fake.reset();
  }

  private static OpenAIClient clientWithRetries(int retries) {
    return OpenAIOkHttpClient.builder()
        .apiKey("sk-test")
        .baseUrl(fake.baseUrl())
        .maxRetries(retries)
        .build();
  }

  /** The SDK sends image parts as application/octet-stream unless told otherwise. */
  private static MultipartField<ImageEditParams.Image> typed(
      ImageEditParams.Image image, String contentType, String fileName) {
    return MultipartField.<ImageEditParams.Image>builder()
        .value(image)
        .contentType(contentType)
        .filename(fileName)
        .build();
  }

  private static ImageEditParams.Image stream(byte[] bytes) {
    return ImageEditParams.Image.ofInputStream(new ByteArrayInputStream(bytes));
  }

  private static ImageEditParams.Builder edit(String prompt) {
    return ImageEditParams.builder()
        .image(typed(stream(PNG), "image/png", "input.png"))
        .prompt(prompt)
        .model("gpt-image-2.6-sunburst");
  }

  @Test
  void editReturnsRealPngsAndOpenAiMetadata() {
    ImagesResponse response =
        client
            .images()
            .edit(
                edit("put a hat on it")
                    .n(2)
                    .size(ImageEditParams.Size._1536X1024)
                    .quality(ImageEditParams.Quality.LOW)
                    .build());

    List<Image> data = response.data().orElseThrow();
    assertThat(data).hasSize(2);
    for (Image image : data) {
      BufferedImage png =
          TestImages.decode(Base64.getDecoder().decode(image.b64Json().orElseThrow()));
      assertThat(png.getWidth()).isEqualTo(1536);
      assertThat(png.getHeight()).isEqualTo(1024);
    }
    assertThat(data.get(0).b64Json()).isNotEqualTo(data.get(1).b64Json());
    assertThat(response.created()).isPositive();
    assertThat(response.size()).contains(ImagesResponse.Size._1536X1024);
    assertThat(response.quality()).contains(ImagesResponse.Quality.LOW);
    assertThat(response.outputFormat()).contains(ImagesResponse.OutputFormat.PNG);
    assertThat(response.background()).contains(ImagesResponse.Background.OPAQUE);

    ImagesResponse.Usage usage = response.usage().orElseThrow();
    assertThat(usage.inputTokensDetails().textTokens()).isEqualTo(4); // 15 characters
    assertThat(usage.inputTokensDetails().imageTokens()).isEqualTo(65);
    assertThat(usage.inputTokens()).isEqualTo(69);
    assertThat(usage.outputTokens()).isEqualTo(2 * 408);
    assertThat(usage.totalTokens()).isEqualTo(69 + 2 * 408);
  }

  @Test
  void recordsWhatTheSdkSent() {
    client.images().edit(edit("a hat").quality(ImageEditParams.Quality.HIGH).build());

    assertThat(fake.requestCount()).isEqualTo(1);
    RecordedEdit recorded = fake.requests().getFirst();
    assertThat(recorded.model()).isEqualTo("gpt-image-2.6-sunburst");
    assertThat(recorded.prompt()).isEqualTo("a hat");
    assertThat(recorded.n()).isEqualTo(1);
    assertThat(recorded.size()).isNull();
    assertThat(recorded.quality()).isEqualTo("high");
    assertThat(recorded.status()).isEqualTo(200);
    assertThat(recorded.images())
        .containsExactly(
            new RecordedImage(
                "image", "input.png", "image/png", PNG.length, UploadedImage.sha256(PNG)));
  }

  @Test
  void fileStreamsAreUploadedWithoutKnownLength(@TempDir Path dir) throws IOException {
    // The SDK only buffers ByteArrayInputStreams; any other stream makes OkHttp send the
    // multipart body chunked, which the fake must read just the same.
    Path file = Files.write(dir.resolve("input.png"), PNG);
    try (InputStream in = Files.newInputStream(file)) {
      ImagesResponse response =
          client
              .images()
              .edit(
                  ImageEditParams.builder()
                      .image(
                          typed(ImageEditParams.Image.ofInputStream(in), "image/png", "input.png"))
                      .prompt("from disk")
                      .model("gpt-image-2.6-sunburst")
                      .build());

      assertThat(response.data().orElseThrow()).hasSize(1);
    }
    assertThat(fake.requests().getFirst().images().getFirst().sha256())
        .isEqualTo(UploadedImage.sha256(PNG));
  }

  @Test
  void acceptsSeveralImagesAsImageArray() {
    List<InputStream> streams =
        List.of(new ByteArrayInputStream(JPEG), new ByteArrayInputStream(JPEG));
    ImagesResponse response =
        client
            .images()
            .edit(
                ImageEditParams.builder()
                    .image(
                        typed(
                            ImageEditParams.Image.ofInputStreams(streams), "image/jpeg", "in.jpg"))
                    .prompt("merge them")
                    .model("gpt-image-2")
                    .size(ImageEditParams.Size.AUTO)
                    .build());

    assertThat(response.size()).contains(ImagesResponse.Size._1024X1024);
    assertThat(response.usage().orElseThrow().inputTokensDetails().imageTokens()).isEqualTo(130);
    assertThat(fake.requests().getFirst().images())
        .extracting(RecordedImage::fieldName, RecordedImage::contentType)
        .containsOnly(tuple("image[]", "image/jpeg"))
        .hasSize(2);
  }

  @Test
  void sdkDefaultOctetStreamImagesAreRejectedLikeOpenAiDoes() {
    BadRequestException e =
        catchThrowableOfType(
            BadRequestException.class,
            () ->
                client
                    .images()
                    .edit(
                        ImageEditParams.builder()
                            .image(PNG)
                            .prompt("p")
                            .model("gpt-image-2.6-sunburst")
                            .build()));

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.type()).contains("invalid_request_error");
    assertThat(e.param()).contains("image");
    assertThat(e.code()).contains("unsupported_file_mimetype");
    assertThat(e.getMessage())
        .isEqualTo(
            "400: Invalid file 'image': unsupported mimetype ('application/octet-stream')."
                + " Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.");
    assertThat(fake.requests().getFirst().images().getFirst().contentType())
        .isEqualTo("application/octet-stream");
  }

  @Test
  void unknownModelIsNotFound() {
    NotFoundException e =
        catchThrowableOfType(
            NotFoundException.class,
            () -> client.images().edit(edit("p").model("gpt-image-9").build()));

    assertThat(e.code()).contains("model_not_found");
    assertThat(e.param()).isEmpty();
    assertThat(e.getMessage())
        .isEqualTo("404: The model `gpt-image-9` does not exist or you do not have access to it.");
  }

  @Test
  void knownModelsCanBeChanged() {
    fake.setKnownModels(Set.of("gpt-image-9"));
    try {
      assertThat(client.images().edit(edit("p").model("gpt-image-9").build()).data()).isPresent();
      assertThat(
              catchThrowableOfType(
                  NotFoundException.class, () -> client.images().edit(edit("p").build())))
          .isNotNull();
    } finally {
      fake.reset();
    }
  }

  @Test
  void invalidFieldsGiveOpenAiValidationErrors() {
    BadRequestException e =
        catchThrowableOfType(
            BadRequestException.class, () -> client.images().edit(edit("p").n(11).build()));

    assertThat(e.param()).contains("n");
    assertThat(e.code()).contains("integer_above_max_value");

    BadRequestException format =
        catchThrowableOfType(
            BadRequestException.class,
            () ->
                client
                    .images()
                    .edit(edit("p").outputFormat(ImageEditParams.OutputFormat.GIF).build()));
    assertThat(format.param()).contains("output_format");
  }

  @Test
  void scriptedFailuresComeBackAsSdkExceptions() {
    fake.enqueue(ScriptedResponse.rateLimited(Duration.ofMillis(6_200)));
    fake.enqueue(ScriptedResponse.serverError());
    fake.enqueue(ScriptedResponse.contentPolicy());
    fake.enqueue(ScriptedResponse.status(401, "Incorrect API key provided."));
    assertThat(fake.pendingScripts()).isEqualTo(4);

    RateLimitException rateLimited =
        catchThrowableOfType(
            RateLimitException.class, () -> client.images().edit(edit("p").build()));
    assertThat(rateLimited.headers().values("Retry-After")).containsExactly("7");
    assertThat(rateLimited.type()).contains("requests");
    assertThat(rateLimited.code()).contains("rate_limit_exceeded");

    InternalServerException serverError =
        catchThrowableOfType(
            InternalServerException.class, () -> client.images().edit(edit("p").build()));
    assertThat(serverError.statusCode()).isEqualTo(500);
    assertThat(serverError.type()).contains("server_error");
    assertThat(serverError.getMessage())
        .isEqualTo("500: The server had an error while processing your request. Sorry about that!");

    BadRequestException refused =
        catchThrowableOfType(
            BadRequestException.class, () -> client.images().edit(edit("p").build()));
    assertThat(refused.type()).contains("image_generation_user_error");
    assertThat(refused.code()).contains("moderation_blocked");

    UnauthorizedException unauthorized =
        catchThrowableOfType(
            UnauthorizedException.class, () -> client.images().edit(edit("p").build()));
    assertThat(unauthorized.getMessage()).isEqualTo("401: Incorrect API key provided.");

    assertThat(fake.pendingScripts()).isZero();
    assertThat(client.images().edit(edit("p").build()).data()).isPresent();
    assertThat(fake.requests())
        .extracting(RecordedEdit::status)
        .containsExactly(429, 500, 400, 401, 200);
  }

  @Test
  void sdkRetriesHonourRetryAfter() {
    fake.enqueue(ScriptedResponse.rateLimited(Duration.ZERO));
    fake.enqueue(ScriptedResponse.rateLimited(Duration.ZERO));

    OpenAIClient retrying = clientWithRetries(2);
    try {
      assertThat(retrying.images().edit(edit("p").build()).data()).isPresent();
    } finally {
      retrying.close();
    }

    assertThat(fake.requests()).extracting(RecordedEdit::status).containsExactly(429, 429, 200);
  }

  @Test
  void refusedPromptsFailEveryTime() {
    fake.refusePromptsContaining("forbidden");

    for (int i = 0; i < 2; i++) {
      BadRequestException e =
          catchThrowableOfType(
              BadRequestException.class,
              () -> client.images().edit(edit("something forbidden here").build()));
      assertThat(e.code()).contains("moderation_blocked");
      assertThat(e.getMessage())
          .isEqualTo(
              "400: Your request was rejected as a result of our safety system. Your request"
                  + " may contain content that is not allowed by our safety system.");
    }
    assertThat(client.images().edit(edit("something fine").build()).data()).isPresent();
  }

  @Test
  void latencyDelaysTheAnswer() {
    Duration latency = Duration.ofMillis(300);
    fake.setLatency(latency);

    long start = System.nanoTime();
    client.images().edit(edit("slow").build());

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(latency);
  }

  @Test
  void listsTodaysModelsWithTheirShutdownDates() {
    fake.setClock(
        java.time.Clock.fixed(
            java.time.Instant.parse("2026-11-15T12:00:00Z"), java.time.ZoneOffset.UTC));
    try {
      var listed = client.models().list().data();
      assertThat(listed)
          .extracting(com.openai.models.models.Model::id)
          .contains("gpt-image-2.6-sunburst", "gpt-image-2.5-flare-2026-09-08", "gpt-image-1.5")
          .doesNotContain("gpt-image-1");
      assertThat(client.models().retrieve("gpt-image-1.5").shutdownDate())
          .contains(java.time.LocalDate.of(2026, 12, 1));
      assertThat(client.models().retrieve("gpt-image-2.6-sunburst").shutdownDate()).isEmpty();
      com.openai.errors.NotFoundException gone =
          catchThrowableOfType(
              com.openai.errors.NotFoundException.class,
              () -> client.models().retrieve("gpt-image-1"));
      assertThat(gone.code()).contains("model_not_found");
    } finally {
      fake.setClock(java.time.Clock.systemUTC());
    }
  }

  @Test
  void aModelIsGoneFromItsShutdownDateOn() {
    fake.setModels(java.util.Map.of("gpt-image-x", java.time.LocalDate.of(2026, 6, 1)));
    try {
      com.openai.errors.NotFoundException gone =
          catchThrowableOfType(
              com.openai.errors.NotFoundException.class,
              () -> client.images().edit(edit("p").model("gpt-image-x").build()));
      assertThat(gone.code()).contains("model_not_found");
      assertThat(gone.getMessage()).contains("has been deprecated");
    } finally {
      fake.reset();
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}, transparent {1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "png, false",
    "png, true",
    "jpeg, false",
    "webp, false",
    "webp, true"
  })
  void answersInTheOutputFormatAskedWithARealAlphaChannel(String format, boolean transparent)
      throws Exception {
    ImageEditParams.Builder params =
        edit("p")
            .model("gpt-image-2.6-sunburst")
            .size(ImageEditParams.Size.of("1536x864"))
            .outputFormat(ImageEditParams.OutputFormat.of(format))
            .background(
                transparent
                    ? ImageEditParams.Background.TRANSPARENT
                    : ImageEditParams.Background.OPAQUE);
    if (!format.equals("png")) {
      params.outputCompression(70L);
    }

    ImagesResponse response = client.images().edit(params.build());

    assertThat(response.outputFormat()).contains(ImagesResponse.OutputFormat.of(format));
    byte[] bytes =
        java.util.Base64.getDecoder()
            .decode(response.data().orElseThrow().getFirst().b64Json().orElseThrow());
    java.awt.image.BufferedImage image =
        javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
    assertThat(image.getWidth()).isEqualTo(1536);
    assertThat(image.getHeight()).isEqualTo(864);
    assertThat(image.getColorModel().hasAlpha()).isEqualTo(transparent);
    if (transparent) {
      assertThat(image.getRGB(1, 863) >>> 24).as("a corner is transparent").isZero();
      assertThat(image.getRGB(1, 1) >>> 24).as("the band is opaque").isEqualTo(0xFF);
    }
    String magic = new String(bytes, 0, 12, java.nio.charset.StandardCharsets.ISO_8859_1);
    switch (format) {
      case "png" -> assertThat(magic).startsWith("\u0089PNG");
      case "jpeg" -> assertThat(bytes[0] & 0xFF).isEqualTo(0xFF);
      default -> assertThat(magic).startsWith("RIFF").endsWith("WEBP");
    }
  }
}
