package io.retouch.testkit.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeFileTest {

  private static final String SAMPLE =
      """
      x-common-env: &common-env
        SHARED: one
        OVERRIDDEN: from-anchor
        PORT: 5672
        FLAG: true

      x-build: &build
        context: .
        args:
          MODULE: api

      services:
        db:
          image: postgres:16
          environment:
            - POSTGRES_DB=retouch
            - POSTGRES_PASSWORD=${DB_PASSWORD:-secret}
            - EMPTY=
            - PASSED_THROUGH
          ports:
            - "5432:5432"
            - 5433
            - target: 80
              published: 8081
              protocol: tcp
        app:
          build: *build
          command: ["bootstrap", "--org", "x"]
          entrypoint: /bin/sh -c
          environment:
            <<: *common-env
            OVERRIDDEN: local
            KEY: ${API_KEY:-}
            LITERAL: $$NOT_A_VARIABLE
            PASSED_THROUGH:
          depends_on:
            db:
              condition: service_healthy
            init:
              condition: service_completed_successfully
            cache: {}
          healthcheck:
            test: ["CMD", "true"]
        plain:
          build: ./other
          depends_on: [db, app]
        init:
          image: busybox
          build:
            context: sub
            dockerfile: Init.Dockerfile
            args:
              - A=1
              - B
      volumes:
        data:
        logs: {}
      """;

  @Test
  void servicesAreListedInFileOrder() {
    ComposeFile compose = ComposeFile.parse(SAMPLE, Map.of());

    assertThat(compose.services()).containsOnlyKeys("db", "app", "plain", "init");
    assertThat(compose.services().keySet()).containsExactly("db", "app", "plain", "init");
    assertThat(compose.volumes()).containsExactly("data", "logs");
    assertThat(compose.raw()).containsKey("x-common-env");
  }

  @Test
  void environmentListFormIsSplitOnTheFirstEqualsSign() {
    ComposeFile.Service db = ComposeFile.parse(SAMPLE, Map.of()).service("db");

    assertThat(db.image()).contains("postgres:16");
    assertThat(db.build()).isEmpty();
    assertThat(db.environment())
        .containsExactly(
            entry("POSTGRES_DB", "retouch"),
            entry("POSTGRES_PASSWORD", "secret"),
            entry("EMPTY", ""));
  }

  @Test
  void environmentMapFormMergesAnchorsWithLocalKeysWinning() {
    ComposeFile.Service app = ComposeFile.parse(SAMPLE, Map.of()).service("app");

    assertThat(app.environment())
        .containsOnly(
            entry("SHARED", "one"),
            entry("OVERRIDDEN", "local"),
            entry("PORT", "5672"),
            entry("FLAG", "true"),
            entry("KEY", ""),
            entry("LITERAL", "$NOT_A_VARIABLE"));
  }

  @Test
  void variablesInterpolateValuesAndFillNamesWithoutValues() {
    ComposeFile compose =
        ComposeFile.parse(
            SAMPLE, Map.of("DB_PASSWORD", "s3cr3t", "API_KEY", "sk-1", "PASSED_THROUGH", "host"));

    assertThat(compose.service("db").environment())
        .containsEntry("POSTGRES_PASSWORD", "s3cr3t")
        .containsEntry("PASSED_THROUGH", "host");
    assertThat(compose.service("app").environment())
        .containsEntry("KEY", "sk-1")
        .containsEntry("PASSED_THROUGH", "host");
    assertThat(compose.service("init").buildArgs()).containsOnly(entry("A", "1"));
  }

  @Test
  void buildInAllThreeForms() {
    ComposeFile compose = ComposeFile.parse(SAMPLE, Map.of("B", "2"));

    ComposeFile.Build app = compose.service("app").build().orElseThrow();
    assertThat(app.context()).isEqualTo(".");
    assertThat(app.dockerfile()).isEmpty();
    assertThat(app.args()).containsOnly(entry("MODULE", "api"));

    ComposeFile.Build plain = compose.service("plain").build().orElseThrow();
    assertThat(plain.context()).isEqualTo("./other");
    assertThat(plain.args()).isEmpty();

    ComposeFile.Build init = compose.service("init").build().orElseThrow();
    assertThat(init.context()).isEqualTo("sub");
    assertThat(init.dockerfile()).contains("Init.Dockerfile");
    assertThat(init.args()).containsExactly(entry("A", "1"), entry("B", "2"));
  }

  @Test
  void dependsOnInListAndMapForms() {
    ComposeFile compose = ComposeFile.parse(SAMPLE, Map.of());

    assertThat(compose.service("app").dependsOn())
        .containsExactly(
            entry("db", ComposeFile.SERVICE_HEALTHY),
            entry("init", ComposeFile.SERVICE_COMPLETED_SUCCESSFULLY),
            entry("cache", ComposeFile.SERVICE_STARTED));
    assertThat(compose.service("plain").dependsOn())
        .containsExactly(
            entry("db", ComposeFile.SERVICE_STARTED), entry("app", ComposeFile.SERVICE_STARTED));
    assertThat(compose.service("db").dependsOn()).isEmpty();
  }

  @Test
  void portsCommandEntrypointAndHealthcheck() {
    ComposeFile compose = ComposeFile.parse(SAMPLE, Map.of());

    assertThat(compose.service("db").ports()).containsExactly("5432:5432", "5433", "8081:80/tcp");
    ComposeFile.Service app = compose.service("app");
    assertThat(app.command()).containsExactly("bootstrap", "--org", "x");
    assertThat(app.entrypoint()).containsExactly("/bin/sh -c");
    assertThat(app.commandLine()).isEqualTo("/bin/sh -c bootstrap --org x");
    assertThat(app.healthcheck()).containsExactly("CMD", "true");
    assertThat(compose.service("db").healthcheck()).isEmpty();
  }

  @Test
  void unknownServiceIsReportedWithTheOnesThereAre() {
    ComposeFile compose = ComposeFile.parse(SAMPLE, Map.of());

    assertThatThrownBy(() -> compose.service("nope"))
        .isInstanceOf(ComposeFileException.class)
        .hasMessageContaining("nope")
        .hasMessageContaining("[db, app, plain, init]");
  }

  @Test
  void duplicateKeysAreRefusedAsComposeRefusesThem() {
    String yaml =
        """
        services:
          a:
            image: x
            image: y
        """;

    assertThatThrownBy(() -> ComposeFile.parse(yaml, Map.of()))
        .isInstanceOf(ComposeFileException.class)
        .hasMessageContaining("image");
  }

  @Test
  void duplicateNamesInListEnvironmentAreRefused() {
    String yaml =
        """
        services:
          a:
            image: x
            environment: [A=1, A=2]
        """;

    assertThatThrownBy(() -> ComposeFile.parse(yaml, Map.of()))
        .isInstanceOf(ComposeFileException.class)
        .hasMessageContaining("A twice");
  }

  @Test
  void requiredVariableMissingFailsLikeCompose() {
    String yaml =
        """
        services:
          a:
            image: x
            environment:
              KEY: ${KEY:?set KEY}
        """;

    assertThatThrownBy(() -> ComposeFile.parse(yaml, Map.of()))
        .isInstanceOf(ComposeFileException.class)
        .hasMessageContaining("set KEY");
    assertThat(ComposeFile.parse(yaml, Map.of("KEY", "k")).service("a").environment())
        .containsOnly(entry("KEY", "k"));
  }

  @Test
  void notAComposeFile() {
    assertThatThrownBy(() -> ComposeFile.parse("- just\n- a list\n", Map.of()))
        .isInstanceOf(ComposeFileException.class);
    assertThatThrownBy(() -> ComposeFile.parse("services: [a]\n", Map.of()))
        .isInstanceOf(ComposeFileException.class)
        .hasMessageContaining("services");
    assertThatThrownBy(() -> ComposeFile.parse("services:\n  a: [\n", Map.of()))
        .isInstanceOf(ComposeFileException.class);
  }

  @Test
  void loadsFromAFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("docker-compose.yml"), SAMPLE);

    assertThat(ComposeFile.load(file).services()).hasSize(4);
    assertThatThrownBy(() -> ComposeFile.load(dir.resolve("missing.yml")))
        .isInstanceOf(ComposeFileException.class)
        .hasMessageContaining("missing.yml");
  }
}
