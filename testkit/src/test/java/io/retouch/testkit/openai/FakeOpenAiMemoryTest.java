package io.retouch.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fake streams what it receives: in a 64 MB heap it answers 24 concurrent edits of 24 MB images
 * each (nearly 600 MB in flight), where reading whole bodies ran out of memory and wedged.
 */
class FakeOpenAiMemoryTest {

  private static final int CLIENTS = 24;
  private static final int IMAGE_BYTES = 24 * 1024 * 1024;

  private Process fake;

  @AfterEach
  void stop() throws InterruptedException {
    if (fake != null) {
      fake.destroy();
      fake.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void concurrent_large_edits_are_answered_within_a_small_heap() throws Exception {
    String baseUrl = startFakeWithHeap("64m");
    byte[] image = new byte[IMAGE_BYTES];
    byte[] png = TestImages.png(8, 8, java.awt.Color.BLUE);
    System.arraycopy(png, 0, image, 0, png.length);
    MultipartBody form =
        new MultipartBody()
            .field("model", "gpt-image-2.6-sunburst")
            .field("prompt", "a large edit")
            .field("size", "1024x1024")
            .file("image[]", "big.png", "image/png", image);
    byte[] body = form.build();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/images/edits"))
            .header("Authorization", "Bearer sk-test")
            .header("Content-Type", form.contentType())
            .timeout(Duration.ofMinutes(2))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();

    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }

    for (var answer : answers) {
      assertThat(answer.get(2, TimeUnit.MINUTES).statusCode()).isEqualTo(200);
    }
    assertThat(fake.isAlive()).isTrue();
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/_fake/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.body()).isEqualTo("ok");
  }

  /** Starts the fake in its own JVM (this test's classpath) and returns its base URL. */
  private String startFakeWithHeap(String heap) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    fake =
        new ProcessBuilder(
                java,
                "-Xmx" + heap,
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                "io.retouch.testkit.Launcher",
                "fake-openai",
                "--port",
                "0")
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(fake.getInputStream(), StandardCharsets.UTF_8));
    Pattern listening = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+/v1)");
    for (String line; (line = out.readLine()) != null; ) {
      Matcher m = listening.matcher(line);
      if (m.find()) {
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
        return m.group(1);
      }
    }
    throw new IllegalStateException("the fake did not start");
  }
}
