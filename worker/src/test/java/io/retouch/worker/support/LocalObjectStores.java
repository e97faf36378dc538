package io.retouch.worker.support;

import io.retouch.common.storage.ObjectStore;
import io.retouch.common.storage.S3ObjectStore;
import io.retouch.testkit.s3.LocalS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The production S3 adapter over a local S3 (S3Proxy) that lives as long as the test JVM. */
public final class LocalObjectStores {

  private static LocalS3 s3;

  private LocalObjectStores() {}

  /** A store on its own bucket, created if missing. */
  public static synchronized ObjectStore bucket(String bucket) {
    if (s3 == null) {
      try {
        s3 = LocalS3.start(0, Files.createTempDirectory("worker-tests-s3"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(s3::close));
    }
    var credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
    var pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
    ObjectStore store =
        new S3ObjectStore(
            S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.of(s3.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(pathStyle)
                .build(),
            S3Presigner.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.of(s3.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(pathStyle)
                .build(),
            bucket,
            null);
    store.ensureBucket();
    return store;
  }
}
