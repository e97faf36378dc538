package io.retouch.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retouch.testkit.node.NodeProject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fake driven by a second official client, OpenAI's Node.js SDK ({@code openai} 4.x, in {@code
 * src/test/node}; installed with npm on first run): models, a multi-image edit with the new output
 * options, and two of OpenAI's error shapes, as another SDK sends and reads them.
 */
class FakeOpenAiNodeClientTest {

  private static final Path NODE_DIR = Path.of("src", "test", "node");

  private static FakeOpenAi fake;
  private static NodeProject node;

  @BeforeAll
  static void start() throws Exception {
    fake = FakeOpenAi.start(0);
    node = NodeProject.installed(NODE_DIR, "openai");
  }

  @AfterAll
  static void stop() {
    fake.close();
  }

  @Test
  void the_node_sdk_lists_models_edits_and_reads_openais_errors() throws Exception {
    Path png = Files.createTempFile("node-input", ".png");
    Files.write(png, TestImages.png(40, 30, java.awt.Color.MAGENTA));

    String output =
        node.run(
            List.of("node", "drive-fake.mjs", fake.baseUrl(), png.toAbsolutePath().toString()),
            120);
    JsonNode result = new ObjectMapper().readTree(output.lines().reduce((a, b) -> b).orElse(""));

    assertThat(result.at("/model/id").asText()).isEqualTo("gpt-image-2.6-sunburst");
    assertThat(result.at("/model/object").asText()).isEqualTo("model");
    assertThat(result.at("/model/shutdown_date").isNull()).isTrue();
    assertThat(result.get("listed").toString()).contains("gpt-image-2.5-flare-2026-09-08");
    assertThat(result.at("/edit/count").asInt()).isEqualTo(2);
    assertThat(result.at("/edit/output_format").asText()).isEqualTo("webp");
    assertThat(result.at("/edit/background").asText()).isEqualTo("transparent");
    assertThat(result.at("/edit/size").asText()).isEqualTo("1536x1024");
    assertThat(result.at("/edit/webp").asBoolean()).isTrue();
    assertThat(result.at("/edit/total_tokens").asInt()).isPositive();
    assertThat(result.at("/gone/status").asInt()).isEqualTo(404);
    assertThat(result.at("/gone/code").asText()).isEqualTo("model_not_found");
    assertThat(result.at("/unsupported/status").asInt()).isEqualTo(400);
    assertThat(result.at("/unsupported/param").asText()).isEqualTo("input_fidelity");
    assertThat(result.at("/unsupported/type").asText()).isEqualTo("image_generation_user_error");

    RecordedEdit sent =
        fake.requests().stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
    assertThat(sent.images())
        .hasSize(2)
        .allSatisfy(i -> assertThat(i.contentType()).isEqualTo("image/png"));
    assertThat(sent.fields()).containsEntry("output_format", "webp").containsEntry("n", "2");
  }
}
