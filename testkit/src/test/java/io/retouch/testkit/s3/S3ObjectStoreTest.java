package io.retouch.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.common.spool.SpooledBytes;
import io.retouch.common.storage.MissingObjectException;
import io.retouch.common.storage.PresignedUrls;
import io.retouch.common.storage.S3Clients;
import io.retouch.common.storage.S3ObjectStore;
import io.retouch.common.storage.SignedTransfers;
import io.retouch.common.storage.StorageProperties;
import io.retouch.common.storage.StorageUnavailableException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import software.amazon.awssdk.services.s3.S3Client;

/** The production S3 adapter of common against the real S3 protocol (S3Proxy). */
class S3ObjectStoreTest {

  private static final byte[] CONTENT = "not really a png".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;

  private static LocalS3 s3;
  private static S3Client client;
  private static PresignedUrls presigner;
  private static SignedTransfers transfers;
  private static S3ObjectStore store;

  @BeforeAll
  static void start() {
    s3 = LocalS3.start(0, dir.resolve("buckets"));
    StorageProperties storage = s3.storage("adapter");
    client = S3Clients.client(storage);
    presigner = S3Clients.presigner(storage);
    transfers = S3Clients.transfers(storage);
    store = new S3ObjectStore(client, transfers, presigner, "adapter", null);
    store.ensureBucket();
  }

  private static StorageProperties storage(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("retouch.storage", StorageProperties.class);
  }

  private static String queryParameter(URI url, String name) {
    return Arrays.stream(url.getRawQuery().split("&"))
        .filter(pair -> pair.startsWith(name + "="))
        .map(pair -> pair.substring(name.length() + 1))
        .findFirst()
        .orElse(null);
  }

  @AfterAll
  static void stop() {
    client.close();
    transfers.close();
    s3.close();
  }

  @Test
  void a_presigned_url_is_valid_for_the_configured_url_ttl() throws Exception {
    store.put("outputs/d/j/0.png", CONTENT, "image/png");
    Duration configured = storage(Map.of("retouch.storage.url-ttl", "90m")).urlTtl();
    Duration standard = storage(Map.of()).urlTtl();

    URI url = store.readUrl("outputs/d/j/0.png", configured);
    URI standardUrl = store.readUrl("outputs/d/j/0.png", standard);

    assertThat(queryParameter(url, "X-Amz-Expires")).isEqualTo("5400");
    assertThat(queryParameter(standardUrl, "X-Amz-Expires")).isEqualTo("86400");
    // the expiry is part of what is signed: S3 serves the URL as given
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> download =
          http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.body()).isEqualTo(CONTENT);
    }
  }

  @Test
  void a_presigned_url_with_a_changed_signature_or_key_is_refused() throws Exception {
    store.put("outputs/d/j/1.png", CONTENT, "image/png");
    URI url = store.readUrl("outputs/d/j/1.png", Duration.ofMinutes(5));
    String signature = queryParameter(url, "X-Amz-Signature");
    String flipped = (signature.charAt(0) == '0' ? "1" : "0") + signature.substring(1);
    URI tampered = URI.create(url.toString().replace(signature, flipped));
    URI otherKey = URI.create(url.toString().replace("/1.png?", "/0.png?"));

    try (HttpClient http = HttpClient.newHttpClient()) {
      for (URI refused : new URI[] {tampered, otherKey}) {
        HttpResponse<byte[]> answer =
            http.send(
                HttpRequest.newBuilder(refused).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).as(refused.toString()).isEqualTo(403);
      }
    }
  }

  @Test
  void spooled_bytes_on_disk_are_stored_whole_with_their_content_type() throws Exception {
    byte[] image = new byte[3 * 1024 * 1024 + 7];
    new java.util.Random(42).nextBytes(image);
    try (SpooledBytes spooled = new SpooledBytes(dir, 64 * 1024)) {
      spooled.write(image, 0, image.length);
      spooled.finish();
      assertThat(spooled.onDisk()).isTrue();

      store.put("inputs/d/big/0.png", spooled, "image/png");
    }

    assertThat(store.get("inputs/d/big/0.png")).isEqualTo(image);
    assertThat(client.headObject(b -> b.bucket("adapter").key("inputs/d/big/0.png")).contentType())
        .isEqualTo("image/png");
  }

  @Test
  void a_wrong_secret_is_refused_by_the_store_and_not_retried() {
    StorageProperties good = s3.storage("adapter");
    StorageProperties wrong =
        new StorageProperties(
            good.endpoint(),
            null,
            good.region(),
            "adapter",
            good.accessKey(),
            "not-the-secret",
            true,
            false,
            null,
            null);
    try (SignedTransfers forged = S3Clients.transfers(wrong)) {
      assertThatThrownBy(() -> forged.get("outputs/d/j/0.png"))
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining("after 1 try")
          .hasMessageContaining("S3 answered 403");
    }
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
