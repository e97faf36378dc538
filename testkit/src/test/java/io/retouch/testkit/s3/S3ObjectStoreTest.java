package io.retouch.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.common.storage.MissingObjectException;
import io.retouch.common.storage.S3ObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The production S3 adapter of common against the real S3 protocol (S3Proxy). */
class S3ObjectStoreTest {

  private static final byte[] CONTENT = "not really a png".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;

  private static LocalS3 s3;
  private static S3Client client;
  private static S3Presigner presigner;
  private static S3ObjectStore store;

  @BeforeAll
  static void start() {
    s3 = LocalS3.start(0, dir.resolve("buckets"));
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
    S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
    client =
        S3Client.builder()
            .httpClientBuilder(ApacheHttpClient.builder())
            .endpointOverride(s3.endpoint())
            .region(Region.of(s3.region()))
            .credentialsProvider(credentials)
            .serviceConfiguration(pathStyle)
            .build();
    presigner =
        S3Presigner.builder()
            .endpointOverride(s3.endpoint())
            .region(Region.of(s3.region()))
            .credentialsProvider(credentials)
            .serviceConfiguration(pathStyle)
            .build();
    store = new S3ObjectStore(client, presigner, "adapter", null);
    store.ensureBucket();
  }

  @AfterAll
  static void stop() {
    presigner.close();
    client.close();
    s3.close();
  }

  @Test
  void delete_removes_the_object() {
    store.put("inputs/d/j/0.png", CONTENT, "image/png");
    store.put("inputs/d/j/1.png", CONTENT, "image/png");

    store.delete("inputs/d/j/0.png");

    assertThat(store.list("inputs/d/j/")).containsExactly("inputs/d/j/1.png");
    assertThatThrownBy(() -> store.get("inputs/d/j/0.png"))
        .isInstanceOf(MissingObjectException.class);
  }

  @Test
  void deleting_a_key_that_holds_nothing_is_not_an_error() {
    store.delete("inputs/d/never/0.png");

    assertThat(store.list("inputs/d/never/")).isEmpty();
  }
}
