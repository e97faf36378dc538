package io.retouch.common.storage;

import java.net.URI;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The S3 client, the signed transfers and the presigner for {@code retouch.storage}; the caller
 * closes the first two.
 */
public final class S3Clients {

  private S3Clients() {}

  public static S3Client client(StorageProperties props) {
    var builder =
        // The SDK's standard retries stay on (3 tries, backoffs well under a second): they absorb
        // a dropped connection without spending an attempt of the job. An outage outlasts them
        // and surfaces as StorageUnavailableException, which the API answers with 503 and the
        // worker turns into a retry held by the database, not by a sleeping thread.
        S3Client.builder()
            .region(Region.of(props.region()))
            .credentialsProvider(credentials(props))
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(props.pathStyle()).build())
            // Checksums only where S3 requires them: by default SDK 2.30+ computes a CRC32 of
            // every body it sends and verifies every body it reads, a CPU cost per image on top
            // of TLS's own integrity, and measured as a large part of a job's CPU (scripts/bench)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (props.endpoint() != null) {
      builder.endpointOverride(props.endpoint());
    }
    return builder.build();
  }

  /**
   * Reads and writes on URLs signed for {@code endpoint}, where Retouch itself reaches the store.
   */
  public static SignedTransfers transfers(StorageProperties props) {
    return new SignedTransfers(
        new PresignedUrls(
            credentials(props),
            props.region(),
            props.endpoint(),
            props.pathStyle(),
            Clock.systemUTC()),
        props.bucket());
  }

  /** Signs for {@code publicEndpoint} when set: the name clients reach the store under. */
  public static PresignedUrls presigner(StorageProperties props) {
    URI endpoint = props.publicEndpoint() != null ? props.publicEndpoint() : props.endpoint();
    return new PresignedUrls(
        credentials(props), props.region(), endpoint, props.pathStyle(), Clock.systemUTC());
  }

  private static AwsCredentialsProvider credentials(StorageProperties props) {
    if (props.accessKey() != null && props.secretKey() != null) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(props.accessKey(), props.secretKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
