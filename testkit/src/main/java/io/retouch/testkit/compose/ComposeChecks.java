package io.retouch.testkit.compose;

import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Facts the api and worker compose checks compare: which environment variables an application
 * reads, where a JDBC URL points, which bucket an {@code mc} init container creates.
 */
public final class ComposeChecks {

  private static final Pattern JDBC_URL =
      Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]+)(?:\\?.*)?");
  private static final Pattern MC_MB =
      Pattern.compile(
          "(?:^|\\s)(?:mc\\s+)?mb(?:\\s+--?[a-z-]+)*\\s+([A-Za-z0-9_-]+)/([a-z0-9.-]+)");

  private ComposeChecks() {}

  /**
   * The environment variables an application reads, each with what it sets: the canonical variable
   * of every property in {@code propertyNames} ({@code RETOUCH_STORAGE_PATHSTYLE} → {@code
   * retouch.storage.path-style}), and every name its {@code application.yml} reads as a {@code
   * ${NAME}} placeholder ({@code OPENAI_API_KEY} → {@code ${OPENAI_API_KEY}}).
   */
  public static Map<String, String> knownVariables(
      Collection<String> propertyNames, Path applicationYaml) {
    Map<String, String> known = new LinkedHashMap<>();
    for (String property : propertyNames) {
      known.put(SpringEnvironment.canonicalEnvName(property), property);
    }
    for (String name : SpringEnvironment.placeholderNames(applicationYaml)) {
      known.putIfAbsent(name, "${" + name + "}");
    }
    return known;
  }

  /** Where a PostgreSQL JDBC URL points. */
  public record JdbcTarget(String host, int port, String database) {

    /**
     * Parses {@code jdbc:postgresql://host[:port]/database[?…]} (one host); the port defaults to
     * 5432.
     */
    public static JdbcTarget parse(String jdbcUrl) {
      Matcher m = JDBC_URL.matcher(jdbcUrl);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a single-host PostgreSQL JDBC URL: " + jdbcUrl);
      }
      return new JdbcTarget(
          m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)), m.group(3));
    }
  }

  /** A bucket made by {@code mc mb [flags] ALIAS/BUCKET}. */
  public record BucketCreation(String alias, String bucket) {}

  /** The bucket an {@code mc} service creates, from its entrypoint and command. */
  public static Optional<BucketCreation> createdBucket(ComposeFile.Service service) {
    Matcher m = MC_MB.matcher(service.commandLine());
    return m.find() ? Optional.of(new BucketCreation(m.group(1), m.group(2))) : Optional.empty();
  }

  /**
   * The server an {@code mc} alias names through the service's {@code MC_HOST_<alias>} variable
   * ({@code http://ACCESS_KEY:SECRET_KEY@host:port}), when it is defined that way.
   */
  public static Optional<URI> mcHost(ComposeFile.Service service, String alias) {
    return Optional.ofNullable(service.environment().get("MC_HOST_" + alias)).map(URI::create);
  }
}
