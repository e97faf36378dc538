package io.retouch.testkit.services;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * PostgreSQL and RabbitMQ in containers (Testcontainers, the images of docker-compose.yml), for
 * when {@link ServicePlan} decides {@link ServicePlan.Decision#TESTCONTAINERS}: the tests start
 * them in their own JVM, {@code stack up} in its {@code containers} component. Testcontainers' Ryuk
 * removes them when the JVM that started them exits, so that JVM must live as long as they are
 * needed.
 */
public final class ServiceContainers implements AutoCloseable {

  /** The images of docker-compose.yml (ServiceContainersTest keeps them equal). */
  public static final String POSTGRES_IMAGE = "postgres:16";

  public static final String RABBITMQ_IMAGE = "rabbitmq:3.13-management";

  /** Database, user and password as docker-compose.yml's postgres service has them. */
  static final String COMPOSE_CREDENTIAL = "retouch";

  /** A server a container can provide; {@link #option} names it on the command line. */
  public enum Kind {
    POSTGRES("postgres"),
    RABBITMQ("rabbitmq");

    private final String option;

    Kind(String option) {
      this.option = option;
    }

    public String option() {
      return option;
    }

    public static Kind of(String option) {
      for (Kind kind : values()) {
        if (kind.option.equals(option)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("not a server: " + option + " (postgres, rabbitmq)");
    }
  }

  /**
   * One started container: the Spring Boot environment that points an app at it ({@code
   * SPRING_DATASOURCE_*} or {@code SPRING_RABBITMQ_*}) and how to stop it.
   */
  public record Started(Map<String, String> springEnvironment, AutoCloseable container) {}

  /** What starts one container: Testcontainers here, a stand-in in tests (Docker cannot run). */
  public interface Engine {
    Started start(Kind kind);
  }

  /** Starts the compose images with Testcontainers and waits until each takes connections. */
  public static final Engine TESTCONTAINERS =
      kind ->
          switch (kind) {
            case POSTGRES -> {
              PostgreSQLContainer postgres =
                  new PostgreSQLContainer(POSTGRES_IMAGE)
                      .withDatabaseName(COMPOSE_CREDENTIAL)
                      .withUsername(COMPOSE_CREDENTIAL)
                      .withPassword(COMPOSE_CREDENTIAL);
              postgres.start();
              yield new Started(
                  postgresEnvironment(
                      postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword()),
                  postgres::stop);
            }
            case RABBITMQ -> {
              RabbitMQContainer rabbit = new RabbitMQContainer(RABBITMQ_IMAGE);
              rabbit.start();
              yield new Started(
                  rabbitEnvironment(
                      rabbit.getHost(),
                      rabbit.getAmqpPort(),
                      rabbit.getAdminUsername(),
                      rabbit.getAdminPassword()),
                  rabbit::stop);
            }
          };

  private final List<Started> started;

  private ServiceContainers(List<Started> started) {
    this.started = started;
  }

  /**
   * Starts a container for each of {@code kinds}, in order; when one fails, the ones already
   * started are stopped before the failure is passed on.
   */
  public static ServiceContainers start(Set<Kind> kinds, Engine engine) {
    ServiceContainers containers = new ServiceContainers(new ArrayList<>());
    try {
      for (Kind kind : kinds) {
        containers.started.add(engine.start(kind));
      }
      return containers;
    } catch (RuntimeException e) {
      containers.close();
      throw e;
    }
  }

  /** The Spring Boot environment of all of them, for the apps that use them. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    started.forEach(s -> env.putAll(s.springEnvironment()));
    return env;
  }

  /** Stops them, newest first; a container that fails to stop does not keep the others running. */
  @Override
  public void close() {
    for (Started container : started.reversed()) {
      try {
        container.container().close();
      } catch (Exception e) {
        System.err.println("could not stop a container: " + e);
      }
    }
    started.clear();
  }

  /**
   * The service decision on this machine, Docker counting as running when either its client or
   * Testcontainers finds an engine.
   */
  public static ServicePlan planOnThisMachine() {
    ServicePlan.Probes probes = ServicePlan.Probes.ofThisMachine();
    return new ServicePlan(probes, () -> probes.dockerRuns() || dockerAvailable());
  }

  /** Whether Testcontainers finds a Docker engine (also through DOCKER_HOST, without a CLI). */
  public static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static Map<String, String> postgresEnvironment(String jdbcUrl, String user, String password) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SPRING_DATASOURCE_URL", jdbcUrl);
    env.put("SPRING_DATASOURCE_USERNAME", user);
    env.put("SPRING_DATASOURCE_PASSWORD", password);
    return env;
  }

  static Map<String, String> rabbitEnvironment(
      String host, int port, String user, String password) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SPRING_RABBITMQ_HOST", host);
    env.put("SPRING_RABBITMQ_PORT", "" + port);
    env.put("SPRING_RABBITMQ_USERNAME", user);
    env.put("SPRING_RABBITMQ_PASSWORD", password);
    return env;
  }

  /** Writes {@code env} to {@code file} whole or not at all: a reader waits for it to appear. */
  public static void write(Map<String, String> env, Path file) {
    Properties properties = new Properties();
    properties.putAll(env);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp)) {
      properties.store(out, "the containers' coordinates (testkit containers)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@link #write} wrote, sorted by name. */
  public static Map<String, String> read(Path file) {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> env = new TreeMap<>();
    properties.stringPropertyNames().forEach(name -> env.put(name, properties.getProperty(name)));
    return env;
  }
}
