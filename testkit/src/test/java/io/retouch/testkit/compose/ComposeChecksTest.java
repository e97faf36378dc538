package io.retouch.testkit.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeChecksTest {

  @Test
  void jdbcUrls() {
    assertThat(ComposeChecks.JdbcTarget.parse("jdbc:postgresql://postgres:5432/retouch"))
        .isEqualTo(new ComposeChecks.JdbcTarget("postgres", 5432, "retouch"));
    assertThat(ComposeChecks.JdbcTarget.parse("jdbc:postgresql://db/app?sslmode=disable"))
        .isEqualTo(new ComposeChecks.JdbcTarget("db", 5432, "app"));
    assertThatThrownBy(() -> ComposeChecks.JdbcTarget.parse("jdbc:mysql://db/app"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bucketFromAnMcCommandInAnyForm() {
    String yaml =
        """
        services:
          listed:
            image: minio/mc
            entrypoint: ["mc"]
            command: ["mb", "--ignore-existing", "local/retouch"]
            environment:
              MC_HOST_local: http://user:pass@minio:9000
          shell:
            image: minio/mc
            entrypoint: ["/bin/sh", "-c"]
            command: >-
              mc alias set s3 http://minio:9000 u p && mc mb -p s3/my-bucket.x && echo done
          none:
            image: minio/mc
            command: ["ls", "local"]
        """;
    ComposeFile compose = ComposeFile.parse(yaml, Map.of());

    assertThat(ComposeChecks.createdBucket(compose.service("listed")))
        .contains(new ComposeChecks.BucketCreation("local", "retouch"));
    assertThat(ComposeChecks.createdBucket(compose.service("shell")))
        .contains(new ComposeChecks.BucketCreation("s3", "my-bucket.x"));
    assertThat(ComposeChecks.createdBucket(compose.service("none"))).isEmpty();
    assertThat(ComposeChecks.mcHost(compose.service("listed"), "local"))
        .contains(URI.create("http://user:pass@minio:9000"));
    assertThat(ComposeChecks.mcHost(compose.service("shell"), "s3")).isEmpty();
  }

  @Test
  void knownVariablesAreCanonicalNamesAndPlaceholders(@TempDir Path dir) throws IOException {
    Path yaml =
        Files.writeString(
            dir.resolve("application.yml"),
            """
            server.port: ${PORT:8080}
            retouch.openai.api-key: ${OPENAI_API_KEY:}
            """);

    assertThat(
            ComposeChecks.knownVariables(
                List.of("retouch.storage.path-style", "spring.datasource.url"), yaml))
        .containsExactly(
            entry("RETOUCH_STORAGE_PATHSTYLE", "retouch.storage.path-style"),
            entry("SPRING_DATASOURCE_URL", "spring.datasource.url"),
            entry("PORT", "${PORT}"),
            entry("OPENAI_API_KEY", "${OPENAI_API_KEY}"));
  }
}
