package io.retouch.testkit.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.retouch.common.storage.StorageProperties;
import io.retouch.testkit.compose.ComposeChecks.BucketCreation;
import io.retouch.testkit.compose.ComposeChecks.JdbcTarget;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;

/**
 * What every application service of docker-compose.yml must satisfy, checked against the
 * application that reads it: each variable it sets is one of the app's properties, the values bind,
 * and they point at the compose file's own Postgres, RabbitMQ and MinIO with matching credentials.
 * A module's {@code ComposeFileTest} extends this with its records and adds its own cases. Plain
 * parsing: no Docker, no Spring context. Runs from the module's directory.
 */
public abstract class ComposeServiceContract {

  protected static final Path REPO = Path.of("..");
  protected static final Path COMPOSE = REPO.resolve("docker-compose.yml");
  protected static final Path APPLICATION_YML = Path.of("src/main/resources/application.yml");

  protected final String module;
  private final List<Class<? extends Record>> records;
  private final List<String> springProperties;
  protected final ComposeFile compose = ComposeFile.load(COMPOSE);
  protected final ComposeFile.Service service;

  /**
   * @param module the compose service, named like the Maven module it builds
   * @param records the configuration records the application binds
   * @param springProperties Spring Boot's own properties the deployment may set
   */
  protected ComposeServiceContract(
      String module, List<Class<? extends Record>> records, List<String> springProperties) {
    this.module = module;
    this.records = List.copyOf(records);
    this.springProperties = List.copyOf(springProperties);
    this.service = compose.service(module);
  }

  protected List<String> properties() {
    List<String> all = new ArrayList<>(springProperties);
    records.forEach(type -> all.addAll(SpringEnvironment.propertyNames(type)));
    return all;
  }

  protected static StandardEnvironment environment(ComposeFile.Service service) {
    return SpringEnvironment.of(service.environment(), List.of(APPLICATION_YML));
  }

  @Test
  void theWholeSystemIsThere() {
    assertThat(compose.services())
        .containsKeys("postgres", "rabbitmq", "minio", "minio-init", "api", "worker");
  }

  @Test
  void buildsThisModuleFromTheRepositoryDockerfile() {
    ComposeFile.Build build = service.build().orElseThrow();

    assertThat(build.args()).containsEntry("MODULE", module);
    Path dockerfile =
        REPO.resolve(build.context()).resolve(build.dockerfile().orElse("Dockerfile"));
    assertThat(dockerfile).isRegularFile();
    assertThat(Files.exists(REPO.resolve(module).resolve("pom.xml"))).isTrue();
  }

  @Test
  void setsOnlyVariablesTheAppReads() {
    Map<String, String> known = ComposeChecks.knownVariables(properties(), APPLICATION_YML);
    List<String> properties = properties();

    // Canonical names (RETOUCH_STORAGE_PATHSTYLE) and ${NAME} placeholders of application.yml,
    // or any other spelling Spring Boot's environment mapping binds to one of the properties.
    List<String> unread =
        service.environment().keySet().stream()
            .filter(name -> !known.containsKey(name))
            .filter(name -> SpringEnvironment.boundProperty(name, properties).isEmpty())
            .toList();
    assertThat(unread)
        .as(
            "variables of service %s that the app does not read; it reads %s",
            module, known.keySet())
        .isEmpty();
  }

  @Test
  void springMapsEachVariableToThePropertyItIsNamedAfter() {
    Map<String, String> known = ComposeChecks.knownVariables(properties(), APPLICATION_YML);
    List<String> properties = properties();

    for (String name : service.environment().keySet()) {
      String property = known.get(name);
      if (property != null && !property.startsWith("${")) {
        assertThat(SpringEnvironment.boundProperty(name, properties))
            .as("property Spring sets from %s", name)
            .contains(property);
      }
    }
  }

  @Test
  void everyConfigurationRecordBinds() {
    StandardEnvironment environment = environment(service);

    for (Class<? extends Record> type : records) {
      assertThatCode(() -> SpringEnvironment.bind(environment, type))
          .as("binding %s", type.getSimpleName())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void storageIsTheComposeMinioAndTheBucketMinioInitCreates() {
    StorageProperties storage =
        SpringEnvironment.bind(environment(service), StorageProperties.class);
    ComposeFile.Service init = compose.service("minio-init");
    BucketCreation created = ComposeChecks.createdBucket(init).orElseThrow();
    Map<String, String> minio = compose.service("minio").environment();

    assertThat(storage.endpoint()).as("retouch.storage.endpoint").isNotNull();
    assertThat(storage.endpoint().getHost()).isEqualTo("minio");
    assertThat(storage.endpoint().getPort()).isEqualTo(9000);
    assertThat(storage.bucket()).as("bucket vs minio-init's").isEqualTo(created.bucket());
    assertThat(storage.pathStyle()).as("retouch.storage.path-style (MinIO)").isTrue();
    assertThat(storage.accessKey()).as("access key").isEqualTo(minio.get("MINIO_ROOT_USER"));
    assertThat(storage.secretKey()).as("secret key").isEqualTo(minio.get("MINIO_ROOT_PASSWORD"));
    Optional<URI> initTarget = ComposeChecks.mcHost(init, created.alias());
    initTarget.ifPresent(
        uri -> {
          assertThat(uri.getHost()).isEqualTo(storage.endpoint().getHost());
          assertThat(uri.getPort()).isEqualTo(storage.endpoint().getPort());
          assertThat(uri.getUserInfo())
              .isEqualTo(minio.get("MINIO_ROOT_USER") + ":" + minio.get("MINIO_ROOT_PASSWORD"));
        });
  }

  @Test
  void databaseIsTheComposePostgresWithItsCredentials() {
    Binder binder = SpringEnvironment.binder(environment(service));
    JdbcTarget target =
        JdbcTarget.parse(binder.bind("spring.datasource.url", String.class).orElse(""));
    Map<String, String> postgres = compose.service(target.host()).environment();
    String user = postgres.getOrDefault("POSTGRES_USER", "postgres");

    assertThat(target.host()).isEqualTo("postgres");
    assertThat(compose.service(target.host()).image())
        .hasValueSatisfying(i -> i.startsWith("postgres"));
    assertThat(target.port()).isEqualTo(5432);
    assertThat(target.database())
        .as("database")
        .isEqualTo(postgres.getOrDefault("POSTGRES_DB", user));
    assertThat(binder.bind("spring.datasource.username", String.class).orElse(null))
        .as("spring.datasource.username vs POSTGRES_USER")
        .isEqualTo(user);
    assertThat(binder.bind("spring.datasource.password", String.class).orElse(null))
        .as("spring.datasource.password vs POSTGRES_PASSWORD")
        .isEqualTo(postgres.get("POSTGRES_PASSWORD"));
  }

  @Test
  void brokerIsTheComposeRabbitmqWithItsCredentials() {
    Binder binder = SpringEnvironment.binder(environment(service));
    String host = binder.bind("spring.rabbitmq.host", String.class).orElse(null);
    Map<String, String> rabbitmq = compose.service(host).environment();

    assertThat(host).isEqualTo("rabbitmq");
    assertThat(compose.service(host).image()).hasValueSatisfying(i -> i.startsWith("rabbitmq"));
    assertThat(binder.bind("spring.rabbitmq.port", Integer.class).orElse(5672)).isEqualTo(5672);
    assertThat(binder.bind("spring.rabbitmq.username", String.class).orElse(null))
        .as("spring.rabbitmq.username vs RABBITMQ_DEFAULT_USER")
        .isEqualTo(rabbitmq.getOrDefault("RABBITMQ_DEFAULT_USER", "guest"));
    assertThat(binder.bind("spring.rabbitmq.password", String.class).orElse(null))
        .as("spring.rabbitmq.password vs RABBITMQ_DEFAULT_PASS")
        .isEqualTo(rabbitmq.getOrDefault("RABBITMQ_DEFAULT_PASS", "guest"));
  }

  @Test
  void startsAfterItsDependenciesAreReady() {
    assertThat(service.dependsOn())
        .containsEntry("postgres", ComposeFile.SERVICE_HEALTHY)
        .containsEntry("rabbitmq", ComposeFile.SERVICE_HEALTHY)
        .containsEntry("minio-init", ComposeFile.SERVICE_COMPLETED_SUCCESSFULLY);
    assertThat(compose.service("postgres").healthcheck()).isNotEmpty();
    assertThat(compose.service("rabbitmq").healthcheck()).isNotEmpty();
    assertThat(compose.service("minio-init").dependsOn())
        .containsEntry("minio", ComposeFile.SERVICE_HEALTHY);
    assertThat(compose.service("minio").healthcheck()).isNotEmpty();
  }
}
