package io.retouch.common.storage;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Wires the S3 client, the presigner and the {@link ObjectStore} from {@code retouch.storage}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
public class StorageConfiguration {

  private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

  @Bean(destroyMethod = "close")
  S3Client s3Client(StorageProperties props) {
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

  @Bean(destroyMethod = "close")
  S3Presigner s3Presigner(StorageProperties props) {
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

  @Bean
  ObjectStore objectStore(StorageProperties props, S3Client s3, S3Presigner presigner) {
    ObjectStore store = new S3ObjectStore(s3, presigner, props.bucket(), props.publicBaseUrl());
    if (props.createBucket()) {
      try {
        store.ensureBucket();
      } catch (StorageUnavailableException e) {
        // Not fatal: the store may come up after us; requests needing it answer 503 meanwhile.
        log.warn("could not check or create bucket {}: {}", props.bucket(), e.getMessage());
      }
    }
    return store;
  }

  private static AwsCredentialsProvider credentials(StorageProperties props) {
    if (props.accessKey() != null && props.secretKey() != null) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(props.accessKey(), props.secretKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
