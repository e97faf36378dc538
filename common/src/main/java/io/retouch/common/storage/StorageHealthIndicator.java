package io.retouch.common.storage;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Object storage on {@code /actuator/health} as {@code s3}: up when a {@code HeadBucket} of the
 * configured bucket succeeds, down with the store's reason otherwise. Boot has no S3 indicator of
 * its own; api and worker both put this one in their readiness group, since neither can do its work
 * without the bucket.
 */
public final class StorageHealthIndicator implements HealthIndicator {

  private final ObjectStore store;
  private final String bucket;

  public StorageHealthIndicator(ObjectStore store, String bucket) {
    this.store = store;
    this.bucket = bucket;
  }

  @Override
  public Health health() {
    try {
      store.checkBucket();
      return Health.up().withDetail("bucket", bucket).build();
    } catch (StorageUnavailableException e) {
      return Health.down().withDetail("bucket", bucket).withDetail("error", e.getMessage()).build();
    }
  }
}
