package io.retouch.testkit.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.common.openai.OpenAiProperties;
import io.retouch.common.storage.StorageProperties;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.BindException;

class SpringEnvironmentTest {

  private static final List<String> STORAGE =
      SpringEnvironment.propertyNames(StorageProperties.class);

  @Test
  void propertyNamesAreTheDashedRecordComponentsUnderThePrefix() {
    assertThat(SpringEnvironment.prefix(StorageProperties.class)).isEqualTo("retouch.storage");
    assertThat(STORAGE)
        .containsExactly(
            "retouch.storage.endpoint",
            "retouch.storage.public-endpoint",
            "retouch.storage.region",
            "retouch.storage.bucket",
            "retouch.storage.access-key",
            "retouch.storage.secret-key",
            "retouch.storage.path-style",
            "retouch.storage.create-bucket",
            "retouch.storage.url-ttl",
            "retouch.storage.public-base-url");
    assertThatThrownBy(() -> SpringEnvironment.prefix(String.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void canonicalEnvNameDropsDashes() {
    assertThat(SpringEnvironment.canonicalEnvName("retouch.storage.path-style"))
        .isEqualTo("RETOUCH_STORAGE_PATHSTYLE");
    assertThat(SpringEnvironment.canonicalEnvName("spring.datasource.url"))
        .isEqualTo("SPRING_DATASOURCE_URL");
  }

  @Test
  void springMapsBothTheCanonicalAndTheUnderscoredForm() {
    // Spring Boot documents the dash-less form; its mapper also accepts '-' written as '_'.
    assertThat(SpringEnvironment.boundProperty("RETOUCH_STORAGE_PATHSTYLE", STORAGE))
        .contains("retouch.storage.path-style");
    assertThat(SpringEnvironment.boundProperty("RETOUCH_STORAGE_PATH_STYLE", STORAGE))
        .contains("retouch.storage.path-style");
    assertThat(SpringEnvironment.boundProperty("retouch_storage_bucket", STORAGE))
        .contains("retouch.storage.bucket");
    assertThat(SpringEnvironment.boundProperty("RETOUCH_STORAGE_PATHSTYLES", STORAGE)).isEmpty();
    assertThat(SpringEnvironment.boundProperty("RETOUCH_STORAGE_PATH__STYLE", STORAGE)).isEmpty();
    assertThat(SpringEnvironment.boundProperty("RETOUCH_STORAGEPATHSTYLE", STORAGE)).isEmpty();
  }

  @Test
  void bindsRecordsFromEnvironmentVariables() {
    var environment =
        SpringEnvironment.of(
            Map.of(
                "RETOUCH_STORAGE_ENDPOINT", "http://minio:9000",
                "RETOUCH_STORAGE_PATHSTYLE", "true",
                "RETOUCH_STORAGE_URL_TTL", "2h",
                "RETOUCH_STORAGE_ACCESSKEY", "ak",
                "RETOUCH_STORAGE_SECRET_KEY", "sk"));

    StorageProperties storage = SpringEnvironment.bind(environment, StorageProperties.class);

    assertThat(storage.endpoint()).isEqualTo(URI.create("http://minio:9000"));
    assertThat(storage.pathStyle()).isTrue();
    assertThat(storage.urlTtl()).isEqualTo(Duration.ofHours(2));
    assertThat(storage.accessKey()).isEqualTo("ak");
    assertThat(storage.secretKey()).isEqualTo("sk");
    assertThat(storage.bucket()).isEqualTo("retouch");
  }

  @Test
  void noVariablesGiveTheRecordDefaultsWhateverTheHostHasExported() {
    StorageProperties storage =
        SpringEnvironment.bind(SpringEnvironment.of(Map.of()), StorageProperties.class);

    assertThat(storage.endpoint()).isNull();
    assertThat(storage.pathStyle()).isFalse();
    assertThat(storage.createBucket()).isTrue();
    assertThat(SpringEnvironment.of(Map.of()).getProperty("PATH")).isNull();
  }

  @Test
  void valuesTheRecordRefusesFailTheBinding() {
    var environment = SpringEnvironment.of(Map.of("RETOUCH_STORAGE_URLTTL", "30d"));

    assertThatThrownBy(() -> SpringEnvironment.bind(environment, StorageProperties.class))
        .isInstanceOf(BindException.class);
    assertThatThrownBy(
            () ->
                SpringEnvironment.bind(
                    SpringEnvironment.of(Map.of("RETOUCH_STORAGE_PATHSTYLE", "maybe")),
                    StorageProperties.class))
        .isInstanceOf(BindException.class);
  }

  @Test
  void applicationYamlSitsBelowTheVariablesAndItsPlaceholdersSeeThem(@TempDir Path dir)
      throws IOException {
    Path yaml =
        Files.writeString(
            dir.resolve("application.yml"),
            """
            spring:
              datasource:
                url: jdbc:postgresql://127.0.0.1:5432/retouch
            server:
              port: ${PORT:8080}
            retouch:
              openai:
                model: gpt-image-1
                api-key: ${OPENAI_API_KEY:}
                base-url: ${OPENAI_BASE_URL:https://api.openai.com/v1}
            ---
            spring.config.activate.on-profile: other
            retouch.openai.model: not-active
            """);

    var withKey =
        SpringEnvironment.of(
            Map.of("OPENAI_API_KEY", "sk-test", "SPRING_DATASOURCE_URL", "jdbc:postgresql://db/x"),
            List.of(yaml));
    OpenAiProperties openAi = SpringEnvironment.bind(withKey, OpenAiProperties.class);
    assertThat(openAi.apiKey()).isEqualTo("sk-test");
    assertThat(openAi.model()).isEqualTo("gpt-image-1");
    assertThat(openAi.baseUrl()).isEqualTo(URI.create("https://api.openai.com/v1"));
    assertThat(SpringEnvironment.binder(withKey).bind("spring.datasource.url", String.class).get())
        .isEqualTo("jdbc:postgresql://db/x");
    assertThat(SpringEnvironment.binder(withKey).bind("server.port", Integer.class).get())
        .isEqualTo(8080);

    var without = SpringEnvironment.of(Map.of("PORT", "9090"), List.of(yaml));
    assertThat(SpringEnvironment.bind(without, OpenAiProperties.class).apiKey()).isEmpty();
    assertThat(SpringEnvironment.binder(without).bind("server.port", Integer.class).get())
        .isEqualTo(9090);

    assertThat(SpringEnvironment.placeholderNames(yaml))
        .containsExactlyInAnyOrder("PORT", "OPENAI_API_KEY", "OPENAI_BASE_URL");
    assertThat(SpringEnvironment.yamlPropertyNames(yaml))
        .contains("spring.datasource.url", "retouch.openai.api-key");
  }
}
