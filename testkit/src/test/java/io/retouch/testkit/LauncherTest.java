package io.retouch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.testkit.Launcher.UsageException;
import io.retouch.testkit.services.ServiceContainers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  @Test
  void containersWriteTheirSettingsThenSayTheyAreReadyAndStopWhenClosed(@TempDir Path dir)
      throws Exception {
    List<String> events = new ArrayList<>();
    ServiceContainers.Engine engine =
        kind -> {
          events.add("start " + kind.option());
          return new ServiceContainers.Started(
              Map.of("SPRING_" + kind + "_PORT", "3276" + kind.ordinal()),
              () -> events.add("stop " + kind.option()));
        };
    Path settings = dir.resolve("containers.env");

    AutoCloseable containers =
        Launcher.launch(
            new String[] {
              "containers", "--servers", "rabbitmq,postgres", "--out", settings.toString()
            },
            out,
            engine);

    assertThat(printed().strip())
        .isEqualTo("containers ready: postgres, rabbitmq (settings in " + settings + ")");
    assertThat(ServiceContainers.read(settings))
        .isEqualTo(Map.of("SPRING_POSTGRES_PORT", "32760", "SPRING_RABBITMQ_PORT", "32761"));
    containers.close();
    assertThat(events)
        .containsExactly("start postgres", "start rabbitmq", "stop rabbitmq", "stop postgres");
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
        "s3 --dir /tmp",
        "containers --out /tmp/c.env",
        "containers --servers postgres",
        "containers --servers postgres,redis --out /tmp/c.env"
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
