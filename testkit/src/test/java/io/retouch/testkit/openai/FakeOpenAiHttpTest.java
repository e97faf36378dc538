package io.retouch.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks the fake at the HTTP level: framing, auth, routes, error bodies and scripting. */
class FakeOpenAiHttpTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PNG = TestImages.png(40, 30, Color.PINK);

  private static FakeOpenAi fake;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    fake = FakeOpenAi.start(0);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    http.close();
    fake.close();
  }

  @BeforeEach
  void reset() {
    fake.reset();
  }

  private static MultipartBody validForm(String prompt) {
    return new MultipartBody()
        .field("model", "gpt-image-2.6-sunburst")
        .field("prompt", prompt)
        .file("image", "in.png", "image/png", PNG);
  }

  private static HttpResponse<String> post(MultipartBody form) {
    return post(form.contentType(), BodyPublishers.ofByteArray(form.build()), "Bearer sk-test");
  }

  private static HttpResponse<String> post(
      String contentType, BodyPublisher body, String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/images/edits"))
            .header("Content-Type", contentType)
            .POST(body);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return http.send(request.build(), BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void baseUrlPointsAtLoopbackAndPort() {
    assertThat(fake.port()).isPositive();
    assertThat(fake.baseUrl()).isEqualTo("http://127.0.0.1:" + fake.port() + "/v1");
  }

  @Test
  void healthAnswersOk() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/_fake/health")).build(),
            BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
    assertThat(fake.requestCount()).isZero();
  }

  @Test
  void unknownRoutesAreInvalidUrls() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/images/edits")).build(),
            BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response.body()).at("/error/message").asText())
        .isEqualTo("Invalid URL (GET /v1/images/edits)");
  }

  @Test
  void successIsJsonWithOpenAiShape() {
    HttpResponse<String> response = post(validForm("draw").field("n", "3"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.headers().firstValue("x-request-id"))
        .hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    JsonNode body = json(response.body());
    assertThat(body.fieldNames())
        .toIterable()
        .containsExactly(
            "created", "data", "usage", "size", "quality", "output_format", "background");
    assertThat(body.get("data")).hasSize(3);
    assertThat(body.at("/data/0").fieldNames()).toIterable().containsExactly("b64_json");
    byte[] png = Base64.getDecoder().decode(body.at("/data/2/b64_json").asText());
    assertThat(ImageFormat.PNG.matches(png)).isTrue();
    assertThat(body.get("size").asText()).isEqualTo("1024x1024");
    assertThat(body.get("quality").asText()).isEqualTo("high");
    assertThat(body.at("/usage/output_tokens").asInt()).isEqualTo(3 * 4160);
    assertThat(body.at("/usage/total_tokens").asInt())
        .isEqualTo(body.at("/usage/input_tokens").asInt() + 3 * 4160);
  }

  @Test
  void sameRequestGivesSameImages() {
    String first = json(post(validForm("same")).body()).at("/data/0/b64_json").asText();
    String second = json(post(validForm("same")).body()).at("/data/0/b64_json").asText();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void requiresABearerToken() {
    MultipartBody form = validForm("p");
    for (String authorization : Arrays.asList(null, "Bearer ", "Basic c2stdGVzdA==", "sk-test")) {
      HttpResponse<String> response =
          post(form.contentType(), BodyPublishers.ofByteArray(form.build()), authorization);

      assertThat(response.statusCode()).isEqualTo(401);
      JsonNode error = json(response.body()).get("error");
      assertThat(error.get("message").asText()).startsWith("You didn't provide an API key.");
      assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.get("param").isNull()).isTrue();
      assertThat(error.get("code").isNull()).isTrue();
    }
    assertThat(fake.requests()).extracting(RecordedEdit::status).containsOnly(401).hasSize(4);
  }

  @Test
  void unsupportedMimetypeBodyIsExactlyOpenAis() {
    HttpResponse<String> response =
        post(
            new MultipartBody()
                .field("model", "gpt-image-2.6-sunburst")
                .field("prompt", "p")
                .file("image", "in.png", "application/octet-stream", PNG));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":{\"message\":\"Invalid file 'image': unsupported mimetype"
                + " ('application/octet-stream'). Supported file formats are 'image/jpeg',"
                + " 'image/png', and 'image/webp'.\",\"type\":\"invalid_request_error\","
                + "\"param\":\"image\",\"code\":\"unsupported_file_mimetype\"}}");
  }

  @Test
  void pngLabelOnJpegBytesIsRejected() {
    HttpResponse<String> response =
        post(
            new MultipartBody()
                .field("model", "gpt-image-2.6-sunburst")
                .field("prompt", "p")
                .file("image", "in.png", "image/png", TestImages.jpeg(8, 8, Color.RED)));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/code").asText()).isEqualTo("invalid_image_file");
  }

  @Test
  void acceptsUpToSixteenImagesOfMixedFormats() {
    MultipartBody form =
        new MultipartBody().field("model", "gpt-image-2.5-flare").field("prompt", "p");
    form.file("image[]", "a.webp", "image/webp", TestImages.webp());
    form.file("image[]", "b.jpg", "image/jpeg", TestImages.jpeg(8, 8, Color.RED));
    for (int i = 0; i < 14; i++) {
      form.file("image[]", i + ".png", "image/png", PNG);
    }
    form.file("mask", "mask.png", "image/png", PNG);

    assertThat(post(form).statusCode()).isEqualTo(200);
    assertThat(fake.requests().getFirst().images()).hasSize(16);

    form.file("image[]", "17.png", "image/png", PNG);
    HttpResponse<String> tooMany = post(form);
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(json(tooMany.body()).at("/error/code").asText()).isEqualTo("array_above_max_length");
  }

  @Test
  void nonMultipartBodiesAreRejected() {
    HttpResponse<String> response =
        post("application/json", BodyPublishers.ofString("{}"), "Bearer sk-test");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(fake.requests().getFirst().model()).isNull();
  }

  @Test
  void chunkedUploadFromJavaNetHttp() {
    MultipartBody form = validForm("chunked via java.net.http");
    // An InputStream publisher has no known length, so HTTP/1.1 sends it chunked.
    BodyPublisher chunked =
        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form.build()));
    assertThat(chunked.contentLength()).isNegative();

    HttpResponse<String> response = post(form.contentType(), chunked, "Bearer sk-test");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(fake.requests().getFirst().images().getFirst().sha256())
        .isEqualTo(UploadedImage.sha256(PNG));
  }

  @Test
  void chunkedUploadOverRawSocket() throws IOException {
    MultipartBody form = validForm("chunked by hand");
    byte[] body = form.build();
    String head =
        "POST /v1/images/edits HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + fake.port()
            + "\r\nAuthorization: Bearer sk-test\r\nContent-Type: "
            + form.contentType()
            + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";

    String response;
    try (Socket socket = new Socket("127.0.0.1", fake.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      // Uneven chunk sizes split the boundary and the PNG signature across chunks.
      int[] sizes = {1, 7, 64, 3, 1000};
      int pos = 0;
      for (int i = 0; pos < body.length; i++) {
        int size = Math.min(sizes[i % sizes.length], body.length - pos);
        out.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, pos, size);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        pos += size;
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
    }

    assertThat(response).startsWith("HTTP/1.1 200");
    String json = response.substring(response.indexOf("\r\n\r\n") + 4);
    assertThat(json(json).get("data")).hasSize(1);
    RecordedEdit recorded = fake.requests().getFirst();
    assertThat(recorded.prompt()).isEqualTo("chunked by hand");
    assertThat(recorded.images().getFirst().bytes()).isEqualTo(PNG.length);
    assertThat(recorded.images().getFirst().sha256()).isEqualTo(UploadedImage.sha256(PNG));
  }

  @Test
  void scriptsAreServedInOrderBeforeValidation() {
    fake.enqueue(ScriptedResponse.status(503, "Slow down"));
    fake.enqueue(ScriptedResponse.status(418, "Teapot"));

    HttpResponse<String> first = post(new MultipartBody().field("junk", "x"));
    HttpResponse<String> second = post(validForm("p"));
    HttpResponse<String> third = post(validForm("p"));

    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(json(first.body()).at("/error/type").asText()).isEqualTo("server_error");
    assertThat(json(first.body()).at("/error/message").asText()).isEqualTo("Slow down");
    assertThat(second.statusCode()).isEqualTo(418);
    assertThat(json(second.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(third.statusCode()).isEqualTo(200);
  }

  @Test
  void unauthenticatedRequestsDoNotConsumeScripts() {
    fake.enqueue(ScriptedResponse.serverError());
    MultipartBody form = validForm("p");

    assertThat(
            post(form.contentType(), BodyPublishers.ofByteArray(form.build()), null).statusCode())
        .isEqualTo(401);
    assertThat(fake.pendingScripts()).isEqualTo(1);
  }

  @Test
  void rateLimitedCarriesRetryAfterInWholeSeconds() {
    fake.enqueue(ScriptedResponse.rateLimited(Duration.ofSeconds(20)));

    HttpResponse<String> response = post(validForm("p"));

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After")).contains("20");
    assertThat(json(response.body()).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
  }

  @Test
  void resetForgetsScriptsRefusalsAndRequests() {
    fake.enqueue(ScriptedResponse.serverError());
    fake.refusePromptsContaining("nope");
    post(validForm("p"));

    fake.reset();

    assertThat(fake.pendingScripts()).isZero();
    assertThat(fake.requestCount()).isZero();
    assertThat(fake.requests()).isEmpty();
    assertThat(post(validForm("nope")).statusCode()).isEqualTo(200);
  }

  @Test
  void servesManyConcurrentRequests() {
    int count = 40;
    HttpRequest.Builder template =
        HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/images/edits"))
            .header("Authorization", "Bearer sk-test");
    List<CompletableFuture<HttpResponse<String>>> responses =
        IntStream.range(0, count)
            .mapToObj(
                i -> {
                  MultipartBody form = validForm("concurrent " + i);
                  return http.sendAsync(
                      template
                          .copy()
                          .header("Content-Type", form.contentType())
                          .POST(BodyPublishers.ofByteArray(form.build()))
                          .build(),
                      BodyHandlers.ofString());
                })
            .toList();

    assertThat(responses).allSatisfy(r -> assertThat(r.join().statusCode()).isEqualTo(200));
    assertThat(fake.requestCount()).isEqualTo(count);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  @Test
  void the_latency_control_takes_milliseconds_and_refuses_anything_else() throws Exception {
    java.util.function.Function<String, HttpResponse<String>> put =
        body -> {
          try {
            return http.send(
                HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/_fake/latency"))
                    .PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };

    assertThat(put.apply("250").statusCode()).isEqualTo(200);
    assertThat(put.apply("-1").statusCode()).isEqualTo(400);
    assertThat(put.apply("soon").statusCode()).isEqualTo(400);
    assertThat(put.apply("0").body()).isEqualTo("0");
  }
}
