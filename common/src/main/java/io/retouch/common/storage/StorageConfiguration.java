package io.retouch.common.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Wires the S3 client, the signed transfers, the presigner and the {@link ObjectStore} from {@code
 * retouch.storage}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
public class StorageConfiguration {

  private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

  @Bean(destroyMethod = "close")
  S3Client s3Client(StorageProperties props) {
    return S3Clients.client(props);
  }

  @Bean(destroyMethod = "close")
  SignedTransfers signedTransfers(StorageProperties props) {
    return S3Clients.transfers(props);
  }

  @Bean
  ObjectStore objectStore(StorageProperties props, S3Client s3, SignedTransfers transfers) {
    ObjectStore store =
        new S3ObjectStore(
            s3, transfers, S3Clients.presigner(props), props.bucket(), props.publicBaseUrl());
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

  /** {@code s3} on the health endpoint and in the readiness groups. */
  @Bean
  StorageHealthIndicator s3HealthIndicator(ObjectStore store, StorageProperties props) {
    return new StorageHealthIndicator(store, props.bucket());
  }
}
