package io.retouch.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class LocalS3Test {

  private static final byte[] CONTENT = "not really a png".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;

  private static LocalS3 s3;
  private static S3Client client;
  private static S3Presigner presigner;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    s3 = LocalS3.start(0, dir.resolve("buckets"));
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
    client =
        S3Client.builder()
            .httpClientBuilder(ApacheHttpClient.builder())
            .endpointOverride(s3.endpoint())
            .region(Region.of(s3.region()))
            .credentialsProvider(credentials)
            .forcePathStyle(true)
            .build();
    presigner =
        S3Presigner.builder()
            .endpointOverride(s3.endpoint())
            .region(Region.of(s3.region()))
            .credentialsProvider(credentials)
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    http.close();
    presigner.close();
    client.close();
    s3.close();
  }

  @Test
  void exposesFixedCredentialsAndLoopbackEndpoint() {
    assertThat(s3.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + s3.port()));
    assertThat(s3.accessKey()).isEqualTo("retouch-local");
    assertThat(s3.secretKey()).isEqualTo("retouch-local-secret");
    assertThat(s3.region()).isEqualTo("us-east-1");
  }

  @Test
  void putThenGetKeepsBytesAndContentType() {
    client.createBucket(b -> b.bucket("roundtrip"));
    client.putObject(
        p -> p.bucket("roundtrip").key("in/a.png").contentType("image/png"),
        RequestBody.fromBytes(CONTENT));

    ResponseBytes<GetObjectResponse> object =
        client.getObjectAsBytes(g -> g.bucket("roundtrip").key("in/a.png"));

    assertThat(object.asByteArray()).isEqualTo(CONTENT);
    assertThat(object.response().contentType()).isEqualTo("image/png");
    assertThat(Files.isDirectory(s3.dir().resolve("roundtrip"))).isTrue();
  }

  @Test
  void presignedGetDownloadsWithPlainHttp() throws Exception {
    client.createBucket(b -> b.bucket("presigned"));
    client.putObject(
        p -> p.bucket("presigned").key("out/b.png").contentType("image/png"),
        RequestBody.fromBytes(CONTENT));

    URI url = presignGet("presigned", "out/b.png");
    HttpResponse<byte[]> response =
        http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(CONTENT);
    assertThat(response.headers().firstValue("Content-Type")).contains("image/png");
  }

  @Test
  void tamperedPresignedUrlIsForbidden() throws Exception {
    client.createBucket(b -> b.bucket("tampered"));
    client.putObject(
        p -> p.bucket("tampered").key("secret.png").contentType("image/png"),
        RequestBody.fromBytes(CONTENT));
    client.putObject(
        p -> p.bucket("tampered").key("other.png").contentType("image/png"),
        RequestBody.fromBytes(CONTENT));

    String url = presignGet("tampered", "secret.png").toString();
    URI otherKey = URI.create(url.replace("/secret.png", "/other.png"));
    String signature = url.replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
    String flipped = (signature.charAt(0) == '0' ? "1" : "0") + signature.substring(1);
    URI badSignature = URI.create(url.replace(signature, flipped));

    for (URI tampered : new URI[] {otherKey, badSignature}) {
      HttpResponse<String> response =
          http.send(HttpRequest.newBuilder(tampered).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(403);
    }
  }

  @Test
  void wrongSecretIsRefused() {
    try (S3Client intruder =
        S3Client.builder()
            .httpClientBuilder(ApacheHttpClient.builder())
            .endpointOverride(s3.endpoint())
            .region(Region.of(s3.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s3.accessKey(), "wrong-secret")))
            .forcePathStyle(true)
            .build()) {

      S3Exception e = catchThrowableOfType(S3Exception.class, intruder::listBuckets);

      assertThat(e.statusCode()).isEqualTo(403);
    }
  }

  private static URI presignGet(String bucket, String key) throws Exception {
    return presigner
        .presignGetObject(
            r ->
                r.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket(bucket).key(key)))
        .url()
        .toURI();
  }
}
