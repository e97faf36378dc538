package io.retouch.common.storage;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The S3 client and presigner for {@code retouch.storage}; the caller closes them. */
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
                S3Configuration.builder().pathStyleAccessEnabled(props.pathStyle()).build());
    if (props.endpoint() != null) {
      builder.endpointOverride(props.endpoint());
    }
    return builder.build();
  }

  /** Signs for {@code publicEndpoint} when set: the name clients reach the store under. */
  public static S3Presigner presigner(StorageProperties props) {
    var builder =
        S3Presigner.builder()
            .region(Region.of(props.region()))
            .credentialsProvider(credentials(props))
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(props.pathStyle()).build());
    URI endpoint = props.publicEndpoint() != null ? props.publicEndpoint() : props.endpoint();
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(StorageProperties props) {
    if (props.accessKey() != null && props.secretKey() != null) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(props.accessKey(), props.secretKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
