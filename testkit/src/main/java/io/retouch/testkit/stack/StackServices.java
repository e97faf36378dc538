package io.retouch.testkit.stack;

import io.retouch.testkit.services.ServiceContainers.Kind;
import io.retouch.testkit.services.ServicePlan;
import io.retouch.testkit.services.ServicePlan.Decision;
import io.retouch.testkit.services.ServicePlan.Server;
import java.io.IOException;
import java.net.URI;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The PostgreSQL and RabbitMQ the stack's apps use ({@code SPRING_DATASOURCE_*}, {@code
 * SPRING_RABBITMQ_*}, local defaults), handled as {@link ServicePlan} decides; the database is
 * created when it does not exist yet.
 */
final class StackServices {

  /** PostgreSQL as the apps will reach it. */
  record Postgres(String host, int port, String database, String user, String password) {

    static Postgres from(Map<String, String> env) {
      String url =
          env.getOrDefault("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:5432/retouch");
      if (!url.startsWith("jdbc:postgresql://")) {
        throw new StackException(
            "SPRING_DATASOURCE_URL must be jdbc:postgresql://HOST[:PORT]/DB, got " + url);
      }
      URI uri = URI.create(url.substring("jdbc:".length()));
      String path = uri.getPath() == null ? "" : uri.getPath();
      return new Postgres(
          uri.getHost(),
          uri.getPort() < 0 ? 5432 : uri.getPort(),
          path.startsWith("/") ? path.substring(1) : path,
          env.getOrDefault("SPRING_DATASOURCE_USERNAME", "postgres"),
          env.getOrDefault("SPRING_DATASOURCE_PASSWORD", ""));
    }

    String jdbcUrl(String db) {
      return "jdbc:postgresql://%s:%d/%s".formatted(host, port, db);
    }
  }

  private static final Duration QUERY_WAIT = Duration.ofSeconds(60);

  private final ServicePlan plan;
  private final Say say;

  StackServices(ServicePlan plan, Say say) {
    this.plan = plan;
    this.say = say;
  }

  /**
   * Makes sure both servers answer, starting the local ones that are installed; returns the ones
   * that must come from containers instead.
   */
  Set<Kind> prepare(Map<String, String> env) throws IOException, InterruptedException {
    Set<Kind> containers = EnumSet.noneOf(Kind.class);
    Postgres pg = Postgres.from(env);
    if (handle(Server.postgres(pg.host(), pg.port()), "point SPRING_DATASOURCE_URL at one")) {
      containers.add(Kind.POSTGRES);
    } else {
      ensureDatabase(pg);
    }
    Server rabbit =
        Server.rabbitmq(
            env.getOrDefault("SPRING_RABBITMQ_HOST", "127.0.0.1"),
            Integer.parseInt(env.getOrDefault("SPRING_RABBITMQ_PORT", "5672")));
    if (handle(rabbit, "point SPRING_RABBITMQ_HOST at one")) {
      containers.add(Kind.RABBITMQ);
    }
    return containers;
  }

  /** True when a container has to provide {@code server}. */
  private boolean handle(Server server, String configure) throws IOException, InterruptedException {
    Decision decision = plan.decide(server);
    return switch (decision) {
      case USE -> false;
      case START -> {
        try {
          plan.start(server, say::line);
        } catch (IllegalStateException e) {
          throw new StackException(e.getMessage());
        }
        yield false;
      }
      case TESTCONTAINERS -> true;
      case MISSING ->
          throw new StackException(
              server.local()
                  ? server.missing(configure)
                  : "%s does not answer on %s:%d"
                      .formatted(server.name(), server.host(), server.port()));
    };
  }

  /** Waits until PostgreSQL takes queries from the user, then creates the database if missing. */
  void ensureDatabase(Postgres pg) throws InterruptedException {
    long deadline = System.nanoTime() + QUERY_WAIT.toNanos();
    while (true) {
      try (var connection =
              DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
          var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
        exists.setString(1, pg.database());
        if (!exists.executeQuery().next()) {
          say.line("creating database " + pg.database());
          try (var create = connection.createStatement()) {
            create.execute("CREATE DATABASE \"" + pg.database().replace("\"", "\"\"") + "\"");
          }
        }
        return;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw new StackException(
              "PostgreSQL on %s:%d does not accept queries from %s: %s"
                  .formatted(pg.host(), pg.port(), pg.user(), e.getMessage()));
        }
        Thread.sleep(1000);
      }
    }
  }
}
