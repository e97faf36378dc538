package io.retouch.testkit.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retouch.testkit.process.AppProcess.Launch;
import io.retouch.testkit.process.RetouchApps;
import io.retouch.testkit.process.RetouchApps.Installation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * The stack's tenant: bootstrapped once into {@code bootstrap.json} and reused by every later
 * {@code up}, unless the API refuses its key (the database was reset), and written with the stack's
 * addresses to {@code stack.json} for the user's own calls.
 */
final class Tenant {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StackDir dir;
  private final Say say;

  Tenant(StackDir dir, Say say) {
    this.dir = dir;
    this.say = say;
  }

  /** The tenant of {@code bootstrap.json}, bootstrapped first when there is none that works. */
  Installation ensure(String apiUrl, Launch launch, Path apiJar, Map<String, String> env) {
    Optional<Installation> saved = read(dir.bootstrap());
    if (saved.isPresent()) {
      int code = probe(apiUrl, saved.get());
      if (code == 401 || code == 403 || code == 404) {
        Path stale =
            dir.bootstrap()
                .resolveSibling(
                    "bootstrap.json.stale-"
                        + LocalDateTime.now()
                            .format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")));
        move(dir.bootstrap(), stale);
        say.line(
            "the key in %s is refused (HTTP %d: was the database reset?); kept it as %s and bootstrapping again"
                .formatted(dir.show(dir.bootstrap()), code, dir.show(stale)));
        saved = Optional.empty();
      } else {
        say.line(
            "reusing %s (dataset %s)"
                .formatted(dir.show(dir.bootstrap()), saved.get().datasetId()));
        return saved.get();
      }
    }
    say.line("bootstrapping: organization \"Retouch Demo\", dataset \"demo\"");
    Installation created;
    try {
      created =
          RetouchApps.bootstrap(
              launch,
              "bootstrap",
              apiJar,
              env,
              "--org",
              "Retouch Demo",
              "--dataset",
              "demo",
              "--tracking-id",
              "demo");
    } catch (IllegalStateException e) {
      throw new StackException(
          "bootstrap failed (log: %s): %s"
              .formatted(dir.show(dir.log("bootstrap")), e.getMessage()));
    }
    ObjectNode json = JSON.createObjectNode();
    json.put("organization_id", created.organizationId());
    json.put("dataset_id", created.datasetId());
    json.put("api_key", created.apiKey());
    writePrivately(dir.bootstrap(), json);
    return created;
  }

  /**
   * {@code stack.json}: what a user needs for their own calls, and under {@code containers} the
   * settings of the servers {@code up} started in containers, if any.
   */
  void writeStackJson(
      Installation tenant,
      String apiUrl,
      String s3Endpoint,
      String openAiUrl,
      Map<String, String> containerEnv) {
    ObjectNode json = JSON.createObjectNode();
    json.put("api_url", apiUrl);
    json.put("api_key", tenant.apiKey());
    json.put("dataset_id", tenant.datasetId());
    json.put("organization_id", tenant.organizationId());
    json.put("s3_endpoint", s3Endpoint);
    json.put("openai_base_url", openAiUrl);
    if (!containerEnv.isEmpty()) {
      ObjectNode containers = json.putObject("containers");
      containerEnv.forEach(containers::put);
    }
    writePrivately(dir.stackJson(), json);
  }

  static Optional<Installation> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode json = JSON.readTree(file.toFile());
      return Optional.of(
          new Installation(
              json.path("organization_id").asText(),
              json.path("dataset_id").asText(),
              json.path("api_key").asText()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The HTTP status of listing the tenant's jobs: whether the API still knows its key. */
  private static int probe(String apiUrl, Installation tenant) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create(apiUrl + "/api/message/edit_image?limit=1"))
                  .header("Authorization", "Bearer " + tenant.apiKey())
                  .header("TR-Dataset", tenant.datasetId())
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Written whole or not at all, readable by the user only: it holds an API key. */
  private static void writePrivately(Path target, JsonNode json) {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
