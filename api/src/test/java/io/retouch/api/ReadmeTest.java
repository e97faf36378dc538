package io.retouch.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.common.event.EventType;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.webhook.WebhookProperties;
import io.retouch.db.webhook.DeliveryStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The README documents what a client can meet and what an operator can set. */
class ReadmeTest {

  private static final Path README = Path.of("..", "README.md");

  @Test
  void every_error_code_a_job_can_show_is_listed() throws IOException {
    String readme = Files.readString(README);
    assertThat(Arrays.stream(ErrorCode.values()).map(c -> "`" + c.wireName() + "`"))
        .allSatisfy(code -> assertThat(readme).contains(code));
  }

  @Test
  void every_api_setting_is_in_the_configuration_table() throws IOException {
    String readme = Files.readString(README);
    assertThat(
            Arrays.stream(ApiProperties.class.getRecordComponents()).map(c -> kebab(c.getName())))
        .allSatisfy(name -> assertThat(readme).contains("| `retouch.api." + name + "` |"));
  }

  @Test
  void every_webhook_setting_and_event_type_is_documented() throws IOException {
    String readme = Files.readString(README);
    assertThat(
            Arrays.stream(WebhookProperties.class.getRecordComponents())
                .map(c -> kebab(c.getName())))
        .allSatisfy(name -> assertThat(readme).contains("| `retouch.webhooks." + name + "` |"));
    assertThat(Arrays.stream(EventType.values()).map(t -> "`" + t.wireName() + "`"))
        .allSatisfy(type -> assertThat(readme).contains(type));
    assertThat(Arrays.stream(DeliveryStatus.values()).map(s -> "`" + s.wireName() + "`"))
        .allSatisfy(status -> assertThat(readme).contains(status));
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
