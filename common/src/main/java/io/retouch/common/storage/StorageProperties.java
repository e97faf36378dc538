package io.retouch.common.storage;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Object storage ({@code retouch.storage.*}).
 *
 * @param endpoint S3 endpoint; unset means AWS's regional endpoint
 * @param publicEndpoint endpoint written into presigned URLs when clients reach the store under
 *     another name than the services do (e.g. {@code http://localhost:9000} vs {@code
 *     http://minio:9000}); unset means {@code endpoint}
 * @param region signing region
 * @param bucket bucket for inputs and outputs
 * @param accessKey access key; unset (with {@code secretKey}) means the AWS default credentials
 *     chain
 * @param secretKey secret key
 * @param pathStyle path-style addressing (MinIO, S3Proxy) instead of virtual hosts
 * @param createBucket create the bucket at start when it is missing
 * @param urlTtl lifetime of presigned result URLs (made fresh at every read)
 * @param publicBaseUrl when set, result URLs are {@code publicBaseUrl/key} (a CDN in front of a
 *     public bucket) instead of presigned
 */
@ConfigurationProperties("retouch.storage")
public record StorageProperties(
    URI endpoint,
    URI publicEndpoint,
    String region,
    String bucket,
    String accessKey,
    String secretKey,
    Boolean pathStyle,
    Boolean createBucket,
    Duration urlTtl,
    URI publicBaseUrl) {

  public StorageProperties {
    region = region == null || region.isBlank() ? "us-east-1" : region;
    bucket = bucket == null || bucket.isBlank() ? "retouch" : bucket;
    pathStyle = pathStyle != null && pathStyle;
    createBucket = createBucket == null || createBucket;
    urlTtl = urlTtl == null ? Duration.ofHours(24) : urlTtl;
    if ((accessKey == null || accessKey.isBlank()) != (secretKey == null || secretKey.isBlank())) {
      // one without the other would silently fall back to the AWS default chain
      throw new IllegalArgumentException(
          "set both retouch.storage.access-key and retouch.storage.secret-key, or neither");
    }
    if (urlTtl.isNegative() || urlTtl.isZero() || urlTtl.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException(
          "retouch.storage.url-ttl must be between 1 second and 7 days (S3's presign limit)");
    }
  }
}
