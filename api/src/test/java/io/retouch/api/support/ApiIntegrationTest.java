package io.retouch.api.support;

import static org.awaitility.Awaitility.await;

import io.retouch.api.RetouchApiApplication;
import io.retouch.api.bootstrap.Installation;
import io.retouch.api.bootstrap.Installer;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.Claim;
import io.retouch.testkit.s3.LocalS3;
import io.retouch.testkit.services.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API on a random port against the run's own Postgres and RabbitMQ and a local S3. No worker
 * runs here: tests that need a job to finish drive the job store themselves.
 */
@SpringBootTest(
    classes = RetouchApiApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"retouch.api.max-body-bytes=3000000", "retouch.api.wait-recheck=1s"})
public abstract class ApiIntegrationTest {

  protected static final LocalS3 S3 = startS3();

  @LocalServerPort protected int port;
  @Autowired protected Installer installer;
  @Autowired protected JdbcClient jdbc;
  @Autowired protected AttemptStore attempts;

  protected ApiClient api;
  protected Installation tenant;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    TestServices.get().springProperties().forEach((k, v) -> registry.add(k, () -> v));
    registry.add("retouch.storage.endpoint", () -> S3.endpoint().toString());
    registry.add("retouch.storage.path-style", () -> "true");
    registry.add("retouch.storage.access-key", S3::accessKey);
    registry.add("retouch.storage.secret-key", S3::secretKey);
    registry.add("retouch.storage.bucket", () -> "api-tests");
  }

  @BeforeEach
  void freshTenant() {
    tenant = installer.install("Acme", "photos", "photos-" + System.nanoTime());
    api = new ApiClient(port);
  }

  protected static final String EDIT = "/api/message/edit_image";

  /** {@code headers} preceded by the tenant's owner key and dataset. */
  protected String[] asOwner(String... headers) {
    String[] all = new String[headers.length + 4];
    all[0] = "Authorization";
    all[1] = tenant.apiKey();
    all[2] = "TR-Dataset";
    all[3] = tenant.datasetId().toString();
    System.arraycopy(headers, 0, all, 4, headers.length);
    return all;
  }

  /** Submits a valid request with {@code Prefer: respond-async}. */
  protected ApiClient.Answer submitAsync() {
    return api.post(EDIT, Requests.valid(), asOwner("Prefer", "respond-async"));
  }

  /** Submits a valid request in the synchronous mode, answering once the wait is over. */
  protected CompletableFuture<ApiClient.Answer> submitSync() {
    return CompletableFuture.supplyAsync(() -> api.post(EDIT, Requests.valid(), asOwner()));
  }

  /** The tenant's queued job, once there is one (submissions run on another thread). */
  protected UUID awaitQueuedJob() {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jdbc.sql("SELECT id FROM edit_jobs WHERE dataset_id = ? AND status = 'queued'")
                    .param(tenant.datasetId())
                    .query(UUID.class)
                    .optional()
                    .orElse(null),
            id -> id != null);
  }

  /** Claims a queued job as a worker would, so a test can play the worker. */
  protected Claim claimAsWorker(UUID jobId) {
    return attempts.claim(jobId, "test-worker", Duration.ofMinutes(1), "gpt-image-1").orElseThrow();
  }

  protected long jobCount() {
    return jdbc.sql("SELECT count(*) FROM edit_jobs").query(Long.class).single();
  }

  private static LocalS3 startS3() {
    try {
      LocalS3 s3 = LocalS3.start(0, Files.createTempDirectory("api-tests-s3"));
      Runtime.getRuntime().addShutdownHook(new Thread(s3::close));
      return s3;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
