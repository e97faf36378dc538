package io.retouch.worker.process;

import static io.retouch.db.testing.TestData.aJob;
import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.retouch.common.image.ImageFormat;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.PermanentFailure;
import io.retouch.db.job.JobStore;
import io.retouch.db.job.TransitionListener;
import io.retouch.db.testing.TestData;
import io.retouch.testkit.images.SampleImages;
import io.retouch.testkit.s3.LocalObjectStores;
import io.retouch.testkit.services.PostgresService;
import io.retouch.testkit.services.TestServices;
import io.retouch.worker.fetch.FetchProperties;
import io.retouch.worker.fetch.SafeUrlFetcher;
import io.retouch.worker.openai.EditInput;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Loading URL inputs against this run's Postgres (Flyway applied) and a local image server: what
 * the worker fetches is checked against the job's {@code mime_type}, which the API could not do.
 */
class InputLoaderTest {

  private static final byte[] PNG = SampleImages.png();
  private static final byte[] JPEG = SampleImages.jpeg();
  private static final byte[] TRUNCATED_PNG = java.util.Arrays.copyOf(PNG, PNG.length - 20);

  private static HttpServer images;
  private static JdbcClient jdbc;
  private static JobStore jobs;
  private static InputLoader loader;

  @BeforeAll
  static void start() throws IOException {
    PostgresService pg = TestServices.get().postgres();
    var dataSource = new DriverManagerDataSource(pg.jdbcUrl(), pg.username(), pg.password());
    Flyway.configure().dataSource(dataSource).load().migrate();
    jdbc = JdbcClient.create(dataSource);
    jobs = new JobStore(jdbc, Clock.systemUTC(), TransitionListener.NONE);

    images = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serve("/photo.png", PNG);
    serve("/photo.jpg", JPEG);
    serve("/truncated.png", TRUNCATED_PNG);
    serve("/signature.png", java.util.Arrays.copyOf(PNG, 8));
    serve("/truncated.jpg", java.util.Arrays.copyOf(JPEG, JPEG.length / 2));
    serve("/huge.png", hugePng());
    serve("/header.webp", java.util.Arrays.copyOf(SampleImages.webp(2, 2), 16));
    images.start();

    var fetch = new FetchProperties(true, 1024L, Duration.ofSeconds(2), Duration.ofSeconds(5), 0);
    loader =
        new InputLoader(
            LocalObjectStores.bucket("input-loader-tests"), new SafeUrlFetcher(fetch), jobs);
  }

  @AfterAll
  static void stop() {
    images.stop(0);
  }

  @Test
  void a_url_input_of_another_type_than_the_job_mime_type_fails_the_job_as_invalid_input() {
    UUID jobId = aUrlJob("image/jpeg", "photo.png", "photo.jpg");

    assertThatThrownBy(() -> load(jobId))
        .isInstanceOfSatisfying(
            PermanentFailure.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
        .hasMessageContaining("input_images[0] (photo.png) is image/png")
        .hasMessageContaining("the job's mime_type is image/jpeg");
    // what the worker found is still recorded, so the job shows why it failed
    assertThat(jobs.inputs(jobId).getFirst().mimeType()).contains("image/png");
  }

  @Test
  void url_inputs_of_the_job_mime_type_are_loaded() {
    UUID jobId = aUrlJob("image/png", "photo.png", "photo.png");

    assertThat(load(jobId))
        .extracting(EditInput::format)
        .containsExactly(ImageFormat.PNG, ImageFormat.PNG);
  }

  @Test
  void without_a_job_mime_type_url_inputs_of_one_type_are_loaded() {
    UUID jobId = aUrlJob(null, "photo.jpg");

    assertThat(load(jobId)).extracting(EditInput::format).containsExactly(ImageFormat.JPEG);
  }

  @Test
  void url_inputs_of_two_types_fail_the_job_as_invalid_input() {
    UUID jobId = aUrlJob(null, "photo.png", "photo.jpg");

    assertThatThrownBy(() -> load(jobId))
        .isInstanceOfSatisfying(
            PermanentFailure.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
        .hasMessageContaining("input_images[1] is image/jpeg but input_images[0] is image/png");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "truncated.png, is a truncated PNG",
    "signature.png, is a truncated PNG: it ends before its IHDR chunk",
    "truncated.jpg, is a truncated JPEG",
    "huge.png, is a PNG of 100000x100000 pixels",
    "header.webp, is a truncated WEBP"
  })
  void a_fetched_image_that_is_truncated_broken_or_too_large_fails_the_job_as_invalid_input(
      String file, String message) {
    UUID jobId = aUrlJob(null, "photo.png", file);

    assertThatThrownBy(() -> load(jobId))
        .isInstanceOfSatisfying(
            PermanentFailure.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
        .hasMessageContaining("input_images[1] (" + file + ") " + message);
  }

  /** A PNG whose IHDR declares 100000×100000 pixels, CRC and all. */
  private static byte[] hugePng() {
    byte[] png = PNG.clone();
    java.nio.ByteBuffer.wrap(png, 16, 8).putInt(100_000).putInt(100_000);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(png, 12, 17);
    java.nio.ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
    return png;
  }

  /** The job mime types aUrlJob recorded, as a caller holding the claim knows them. */
  private static final Map<UUID, Optional<ImageFormat>> DECLARED = new ConcurrentHashMap<>();

  private List<EditInput> load(UUID jobId) {
    return loader.load(jobId, DECLARED.get(jobId));
  }

  /** A queued job whose inputs are the named files of the image server, in order. */
  private static UUID aUrlJob(String mimeType, String... files) {
    String base = "http://127.0.0.1:" + images.getAddress().getPort() + "/";
    TestData.JobBuilder job =
        aJob().of(aTenant(jdbc)).withPrompt("frame it", 1).withMimeType(mimeType);
    for (String file : files) {
      job.withUrlInput(file, URI.create(base + file));
    }
    UUID id = jobs.create(job.build()).id();
    DECLARED.put(id, Optional.ofNullable(mimeType).flatMap(ImageFormat::fromMimeType));
    return id;
  }

  private static void serve(String path, byte[] body) {
    images.createContext(
        path,
        exchange -> {
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
  }
}
