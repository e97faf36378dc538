package io.retouch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.testkit.Launcher.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LauncherTest {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void fakeOpenAiPrintsWhereItListensAndAnswersHealth() throws Exception {
    try (AutoCloseable server =
            Launcher.launch(new String[] {"fake-openai", "--port", "0", "--latency-ms", "5"}, out);
        HttpClient http = HttpClient.newHttpClient()) {
      String line = printed().strip();
      assertThat(line).matches("fake OpenAI listening on http://127\\.0\\.0\\.1:\\d+/v1");
      String baseUrl = line.substring(line.lastIndexOf(' ') + 1);

      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/_fake/health")).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("ok");
      assertThat(server).isInstanceOf(io.retouch.testkit.openai.FakeOpenAi.class);
    }
  }

  @Test
  void s3PrintsWhereItListens(@TempDir Path dir) throws Exception {
    try (AutoCloseable server =
        Launcher.launch(new String[] {"s3", "--dir", dir.toString(), "--port", "0"}, out)) {
      assertThat(printed().strip())
          .matches("local S3 listening on http://127\\.0\\.0\\.1:\\d+ \\(dir .+\\)")
          .contains(dir.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "bogus",
        "fake-openai",
        "fake-openai --port",
        "fake-openai --port abc",
        "fake-openai --port -1",
        "fake-openai --port 70000",
        "fake-openai --port 0 --dir /tmp",
        "s3 --port 0",
        "s3 --dir /tmp"
      })
  void badArgumentsAreUsageErrors(String commandLine) {
    String[] args = commandLine.isEmpty() ? new String[0] : commandLine.split(" ");

    assertThatThrownBy(() -> Launcher.launch(args, out)).isInstanceOf(UsageException.class);
    assertThat(printed()).isEmpty();
  }

  @Test
  void mainExitsWithStatusTwoAndUsageOnStderr() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    Launcher.class.getName(),
                    "bogus"))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(stderr).contains("unknown command: bogus").contains("usage:");
  }
}
