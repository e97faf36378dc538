package io.retouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retouch.e2e.LocalStackScripts.Result;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's first command as a newcomer runs it: {@code scripts/demo} with no OpenAI key and no
 * S3 configured brings up the local stack (local S3, fake OpenAI, API, one worker), edits the
 * bundled sample synchronously and asynchronously and downloads the results; {@code scripts/stack
 * status} and {@code down} then report and stop that stack. It runs on a stack of its own (see
 * {@link LocalStackScripts}), so a developer's {@code .run/} stack is never touched.
 */
class ScriptsEndToEndIT {

  private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration STACK_TIMEOUT = Duration.ofMinutes(2);
  private static final List<String> COMPONENTS = List.of("s3", "fake-openai", "api", "worker");
  private static final List<String> STACK_JSON_KEYS =
      List.of(
          "api_url", "api_key", "dataset_id", "organization_id", "s3_endpoint", "openai_base_url");
  private static final Pattern STATUS_LINE =
      Pattern.compile("^(\\S+)\\s+pid (\\S+)\\s+(running|stopped|not used)\\b.*$");

  private static LocalStackScripts scripts;

  @BeforeAll
  static void isolate() {
    scripts = LocalStackScripts.isolated();
  }

  @AfterAll
  static void stopEverything() {
    if (scripts != null) {
      scripts.close();
    }
  }

  @Test
  void demo_starts_the_local_stack_edits_the_sample_in_both_modes_and_stack_down_stops_it()
      throws IOException {
    // the port asked for has connections in TIME_WAIT, as after a crash: the API still gets it
    int port = portInTimeWait();
    scripts.env("RETOUCH_API_PORT", String.valueOf(port));

    Result demo = scripts.run(DEMO_TIMEOUT, "demo");
    assertThat(demo.exitCode()).as(() -> scripts.diagnostics(demo)).isZero();
    assertThat(demo.output())
        .as("the fake OpenAI is announced loudly")
        .contains("NO OPENAI_API_KEY SET: USING THE FAKE OPENAI")
        .as("the async job is polled with its progress, and the results are listed")
        .contains("status=succeeded")
        .contains("url:  http://127.0.0.1:")
        .contains("PNG 1536x1024");

    JsonNode stackJson =
        JsonMapper.builder().build().readTree(scripts.stackDir().resolve("stack.json"));
    for (String key : STACK_JSON_KEYS) {
      assertThat(stackJson.path(key).stringValue("")).as("stack.json " + key).isNotBlank();
    }
    assertThat(stackJson.get("api_url").asString()).isEqualTo("http://127.0.0.1:" + port);
    for (String png : List.of("sync-0.png", "async-0.png")) {
      assertThat(pngSize(scripts.outDir().resolve(png))).as(png).containsExactly(1536, 1024);
    }

    Result up = scripts.run(STACK_TIMEOUT, "stack", "status");
    Map<String, String> running = states(up, "running");
    assertThat(running).as(() -> scripts.diagnostics(up)).containsOnlyKeys(COMPONENTS);
    List<Long> pids = running.values().stream().map(Long::parseLong).toList();
    assertThat(pids).allMatch(ScriptsEndToEndIT::running);
    assertThat(up.output()).contains("/actuator/health UP");

    Result down = scripts.run(STACK_TIMEOUT, "stack", "down");
    assertThat(down.exitCode()).as(() -> scripts.diagnostics(down)).isZero();
    Result after = scripts.run(STACK_TIMEOUT, "stack", "status");
    assertThat(states(after, "stopped")).as(after.output()).containsOnlyKeys(COMPONENTS);
    // (init reaps the exited processes a moment after `down` saw them exit)
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(pids)
                    .as("processes of the stack after down")
                    .noneMatch(ScriptsEndToEndIT::running));
    assertThat(scripts.leftoverProcesses()).as("processes marked with the stack's dir").isEmpty();
  }

  /**
   * A free port with a closed connection in TIME_WAIT on it: the side that closes first keeps that
   * state for a minute, and a bind without SO_REUSEADDR fails meanwhile.
   */
  private static int portInTimeWait() throws IOException {
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        server.accept().close();
        assertThat(client.getInputStream().read()).isEqualTo(-1);
      }
      return server.getLocalPort();
    }
  }

  /** True while the process exists and has not exited (a zombie waiting to be reaped has). */
  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  /** Component → pid, for the lines of {@code stack status} in the given state. */
  private static Map<String, String> states(Result status, String state) {
    assertThat(status.exitCode()).as(status.output()).isZero();
    Map<String, String> components = new LinkedHashMap<>();
    for (String line : status.output().lines().toList()) {
      Matcher matcher = STATUS_LINE.matcher(line);
      if (matcher.matches() && matcher.group(3).equals(state)) {
        components.put(matcher.group(1), matcher.group(2));
      }
    }
    return components;
  }

  /** Width and height from the PNG's IHDR chunk, after checking the signature. */
  private static int[] pngSize(Path file) throws IOException {
    assertThat(file).exists();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(24);
      assertThat(head).hasSize(24);
      assertThat(Arrays.copyOfRange(head, 0, 8))
          .as(file + " PNG signature")
          .containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
      assertThat(new String(head, 12, 4, StandardCharsets.US_ASCII)).isEqualTo("IHDR");
      ByteBuffer ihdr = ByteBuffer.wrap(head, 16, 8);
      return new int[] {ihdr.getInt(), ihdr.getInt()};
    }
  }
}
