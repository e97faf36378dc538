package io.retouch.testkit.services;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.retouch.common.messaging.Topology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * Finds the real Postgres and RabbitMQ a test run uses, in this order: {@code
 * RETOUCH_TEST_POSTGRES_URL} / {@code RETOUCH_TEST_RABBITMQ_URL}; the local servers on 127.0.0.1
 * when they answer; Testcontainers when Docker is present; otherwise a failure that says how to
 * provide them. Each JVM gets its own database and its own queue-name prefix, and removes both when
 * it exits, so runs never see each other's data and leave nothing behind.
 */
public final class TestServices {

  private static final String POSTGRES_URL_ENV = "RETOUCH_TEST_POSTGRES_URL";
  private static final String RABBITMQ_URL_ENV = "RETOUCH_TEST_RABBITMQ_URL";
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
    if (answers("127.0.0.1", 5432)) {
      return "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    }
    if (dockerAvailable()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
      container.start();
      return container.getJdbcUrl()
          + "&user="
          + container.getUsername()
          + "&password="
          + container.getPassword();
    }
    throw new IllegalStateException(
        "No PostgreSQL found. " + HOW_TO.formatted(POSTGRES_URL_ENV, RABBITMQ_URL_ENV));
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
    } else if (answers("127.0.0.1", 5672)) {
      uri = URI.create("amqp://guest:guest@127.0.0.1:5672");
    } else if (dockerAvailable()) {
      RabbitMQContainer container = new RabbitMQContainer("rabbitmq:3.13-management-alpine");
      container.start();
      uri =
          URI.create(
              "amqp://%s:%s@%s:%d"
                  .formatted(
                      container.getAdminUsername(),
                      container.getAdminPassword(),
                      container.getHost(),
                      container.getAmqpPort()));
    } else {
      throw new IllegalStateException(
          "No RabbitMQ found. " + HOW_TO.formatted(POSTGRES_URL_ENV, RABBITMQ_URL_ENV));
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

  private static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
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
