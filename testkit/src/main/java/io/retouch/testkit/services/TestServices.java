package io.retouch.testkit.services;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.retouch.common.messaging.Topology;
import io.retouch.testkit.services.ServiceContainers.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * Finds the real Postgres and RabbitMQ a test run uses: {@code RETOUCH_TEST_POSTGRES_URL} / {@code
 * RETOUCH_TEST_RABBITMQ_URL} when set, else what {@link ServicePlan} decides for the local servers
 * on 127.0.0.1 (use the one that answers, start the installed one, a Testcontainers container when
 * Docker runs, or fail saying how to provide them). Each JVM gets its own database and its own
 * queue-name prefix, and removes both when it exits, so runs never see each other's data and leave
 * nothing behind.
 */
public final class TestServices {

  private static final String POSTGRES_URL_ENV = ServicePlan.TEST_POSTGRES.urlVariable();
  private static final String RABBITMQ_URL_ENV = ServicePlan.TEST_RABBITMQ.urlVariable();
  private static final String HOW_TO =
      "Integration tests need a real PostgreSQL and RabbitMQ. Set %s (jdbc:postgresql://host:port/db"
          + "?user=…&password=…, a user that may CREATE DATABASE) and %s (amqp://user:pass@host:port),"
          + " or run them on 127.0.0.1:5432 and 127.0.0.1:5672, or install Docker for"
          + " Testcontainers.";

  private static TestServices instance;

  private final String runId;
  private final PostgresService postgres;
  private final RabbitService rabbit;
  private final List<Runnable> beforeCleanup = new CopyOnWriteArrayList<>();

  private TestServices() {
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    runId = HexFormat.of().formatHex(random);
    String adminUrl = postgresAdminUrl();
    postgres = createDatabase(adminUrl, "retouch_test_" + runId);
    rabbit = rabbit("rt-test-" + runId);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  beforeCleanup.forEach(Runnable::run);
                  dropDatabase(adminUrl, "retouch_test_" + runId);
                  deleteTopology(rabbit);
                },
                "test-services-cleanup"));
  }

  /** The services of this JVM's test run, resolved once. */
  public static synchronized TestServices get() {
    if (instance == null) {
      instance = new TestServices();
    }
    return instance;
  }

  /**
   * Runs {@code action} at JVM exit before the database and queues are removed, e.g. to stop
   * processes that still use them (shutdown hooks would otherwise race).
   */
  public void beforeCleanup(Runnable action) {
    beforeCleanup.add(action);
  }

  public String runId() {
    return runId;
  }

  public PostgresService postgres() {
    return postgres;
  }

  public RabbitService rabbit() {
    return rabbit;
  }

  /** Spring Boot properties pointing an app at this run's database and broker. */
  public Map<String, String> springProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("spring.datasource.url", postgres.jdbcUrl());
    props.put("spring.datasource.username", postgres.username());
    props.put("spring.datasource.password", postgres.password());
    props.put("spring.rabbitmq.host", rabbit.host());
    props.put("spring.rabbitmq.port", String.valueOf(rabbit.port()));
    props.put("spring.rabbitmq.username", rabbit.username());
    props.put("spring.rabbitmq.password", rabbit.password());
    props.put("spring.rabbitmq.virtual-host", rabbit.virtualHost());
    props.put("retouch.amqp.prefix", rabbit.prefix());
    return props;
  }

  /** The same settings as environment variables, for apps started as separate processes. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    springProperties()
        .forEach(
            (key, value) ->
                env.put(
                    key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace("-", ""),
                    value));
    return env;
  }

  private static String postgresAdminUrl() {
    String configured = System.getenv(POSTGRES_URL_ENV);
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    Map<String, String> container = provide(ServicePlan.TEST_POSTGRES, Kind.POSTGRES);
    if (container.isEmpty()) {
      ServicePlan.Server local = ServicePlan.TEST_POSTGRES.server();
      return "jdbc:postgresql://%s:%d/postgres?user=postgres".formatted(local.host(), local.port());
    }
    String url = container.get("SPRING_DATASOURCE_URL");
    return url
        + (url.contains("?") ? "&" : "?")
        + "user="
        + container.get("SPRING_DATASOURCE_USERNAME")
        + "&password="
        + container.get("SPRING_DATASOURCE_PASSWORD");
  }

  /**
   * Does what {@link ServicePlan} decides for the default local {@code needed}: nothing when it
   * answers, start it when it is installed here, else a container, whose Spring environment is
   * returned (empty: use the local server).
   */
  private static Map<String, String> provide(ServicePlan.TestServer needed, Kind kind) {
    ServicePlan.Server server = needed.server();
    ServicePlan plan = ServiceContainers.planOnThisMachine();
    try {
      return switch (plan.decide(server)) {
        case USE -> Map.of();
        case START -> {
          plan.start(server, line -> System.err.println("test services: " + line));
          yield Map.of();
        }
        // stays up until this JVM exits, when Ryuk removes it
        case TESTCONTAINERS ->
            ServiceContainers.start(EnumSet.of(kind), ServiceContainers.TESTCONTAINERS)
                .environment();
        case MISSING ->
            throw new IllegalStateException(
                server.missing("set " + needed.urlVariable())
                    + ". "
                    + HOW_TO.formatted(POSTGRES_URL_ENV, RABBITMQ_URL_ENV));
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + server.name(), e);
    }
  }

  private static PostgresService createDatabase(String adminUrl, String name) {
    try (var connection = DriverManager.getConnection(adminUrl);
        var statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
      String user = connection.getMetaData().getUserName();
      String password = queryParameter(adminUrl, "password");
      return new PostgresService(
          withDatabase(adminUrl, name), user, password == null ? "" : password);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot create the test database "
              + name
              + " through "
              + redact(adminUrl)
              + ": "
              + e.getMessage()
              + ". "
              + HOW_TO.formatted(POSTGRES_URL_ENV, RABBITMQ_URL_ENV),
          e);
    }
  }

  private static void dropDatabase(String adminUrl, String name) {
    try (var connection = DriverManager.getConnection(adminUrl);
        var statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("could not drop test database " + name + ": " + e.getMessage());
    }
  }

  private static RabbitService rabbit(String prefix) {
    String configured = System.getenv(RABBITMQ_URL_ENV);
    URI uri;
    if (configured != null && !configured.isBlank()) {
      uri = URI.create(configured);
    } else {
      Map<String, String> container = provide(ServicePlan.TEST_RABBITMQ, Kind.RABBITMQ);
      uri =
          container.isEmpty()
              ? URI.create(
                  "amqp://guest:guest@%s:%d"
                      .formatted(
                          ServicePlan.TEST_RABBITMQ.server().host(),
                          ServicePlan.TEST_RABBITMQ.server().port()))
              : URI.create(
                  "amqp://%s:%s@%s:%s"
                      .formatted(
                          container.get("SPRING_RABBITMQ_USERNAME"),
                          container.get("SPRING_RABBITMQ_PASSWORD"),
                          container.get("SPRING_RABBITMQ_HOST"),
                          container.get("SPRING_RABBITMQ_PORT")));
    }
    String[] userInfo =
        uri.getUserInfo() == null
            ? new String[] {"guest", "guest"}
            : uri.getUserInfo().split(":", 2);
    String vhost =
        uri.getPath() == null || uri.getPath().length() <= 1 ? "/" : uri.getPath().substring(1);
    return new RabbitService(
        uri.getHost(),
        uri.getPort() < 0 ? 5672 : uri.getPort(),
        userInfo[0],
        userInfo.length > 1 ? userInfo[1] : "",
        vhost,
        prefix);
  }

  private static void deleteTopology(RabbitService rabbit) {
    ConnectionFactory factory = rabbit.connectionFactory();
    Topology topology = new Topology(rabbit.prefix());
    try (Connection connection = factory.newConnection("test-services-cleanup");
        Channel channel = connection.createChannel()) {
      for (String queue : topology.queues()) {
        channel.queueDelete(queue);
      }
      for (String exchange : topology.exchanges()) {
        channel.exchangeDelete(exchange);
      }
    } catch (IOException | TimeoutException e) {
      System.err.println("could not delete test queues of " + rabbit.prefix() + ": " + e);
    }
  }

  static String withDatabase(String jdbcUrl, String database) {
    int query = jdbcUrl.indexOf('?');
    String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    String params = query < 0 ? "" : jdbcUrl.substring(query);
    int slash = base.lastIndexOf('/');
    return base.substring(0, slash + 1) + database + params;
  }

  private static String queryParameter(String jdbcUrl, String name) {
    int query = jdbcUrl.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : jdbcUrl.substring(query + 1).split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals(name) && kv.length == 2) {
        return kv[1];
      }
    }
    return null;
  }

  private static String redact(String jdbcUrl) {
    return jdbcUrl.replaceAll("password=[^&]*", "password=***");
  }
}
