package io.retouch.api.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.RetouchApiApplication;
import io.retouch.api.bootstrap.Installation;
import io.retouch.api.bootstrap.Installer;
import io.retouch.api.support.ApiClient;
import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.Requests;
import io.retouch.testkit.fault.FaultProxy;
import io.retouch.testkit.s3.LocalS3;
import io.retouch.testkit.services.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The API reaches S3 through a proxy the test cuts, as if S3 went down after the API started. */
@SpringBootTest(
    classes = RetouchApiApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StorageOutageTest {

  private static final LocalS3 S3 = startS3();
  private static final FaultProxy PROXY = FaultProxy.to("127.0.0.1", S3.port());

  @LocalServerPort int port;
  @Autowired Installer installer;
  @Autowired JdbcClient jdbc;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    TestServices.get().springProperties().forEach((k, v) -> registry.add(k, () -> v));
    registry.add("retouch.storage.endpoint", () -> "http://127.0.0.1:" + PROXY.port());
    registry.add("retouch.storage.path-style", () -> "true");
    registry.add("retouch.storage.access-key", S3::accessKey);
    registry.add("retouch.storage.secret-key", S3::secretKey);
    registry.add("retouch.storage.bucket", () -> "outage-tests");
  }

  @AfterAll
  static void stop() {
    PROXY.close();
    S3.close();
  }

  @Test
  void a_submission_while_s3_is_unreachable_is_a_503_with_retry_after_and_records_no_job() {
    Installation tenant = installer.install("Acme", "photos", null);
    ApiClient api = new ApiClient(port);
    String[] headers = {
      "Authorization", tenant.apiKey(),
      "TR-Dataset", tenant.datasetId().toString(),
      "Prefer", "respond-async"
    };

    PROXY.cut();
    Answer down = api.post("/api/message/edit_image", Requests.valid(), headers);
    PROXY.restore();
    long jobsWhileDown = jobsOf(tenant);
    Answer up = api.post("/api/message/edit_image", Requests.valid(), headers);

    assertThat(down.status()).isEqualTo(503);
    assertThat(down.header("Retry-After")).isEqualTo("5");
    assertThat(down.message()).contains("unavailable");
    assertThat(jobsWhileDown).isZero();
    // the same submission is accepted once S3 answers: the 503 was the outage, nothing else
    assertThat(up.status()).isEqualTo(202);
  }

  @Test
  void readiness_is_down_naming_s3_while_the_bucket_cannot_be_reached() {
    ApiClient api = new ApiClient(port);
    Answer up = api.get("/actuator/health/readiness");

    PROXY.cut();
    Answer down = api.get("/actuator/health/readiness");
    Answer liveness = api.get("/actuator/health/liveness");
    PROXY.restore();

    assertThat(up.status()).isEqualTo(200);
    assertThat(up.json().at("/components/s3/status").asString()).isEqualTo("UP");
    assertThat(up.json().at("/components/db/status").asString()).isEqualTo("UP");
    assertThat(up.json().at("/components/rabbit/status").asString()).isEqualTo("UP");
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.json().at("/components/s3/status").asString()).isEqualTo("DOWN");
    assertThat(down.json().at("/components/db/status").asString()).isEqualTo("UP");
    assertThat(liveness.status()).as("an outage is no reason to restart the API").isEqualTo(200);
  }

  private long jobsOf(Installation tenant) {
    return jdbc.sql("SELECT count(*) FROM edit_jobs WHERE dataset_id = ?")
        .param(tenant.datasetId())
        .query(Long.class)
        .single();
  }

  private static LocalS3 startS3() {
    try {
      return LocalS3.start(0, Files.createTempDirectory("outage-tests-s3"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
