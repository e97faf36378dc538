package io.retouch.common.storage;

import io.retouch.common.spool.SpooledBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** {@link ObjectStore} over the S3 protocol (AWS S3, MinIO, S3Proxy). */
public final class S3ObjectStore implements ObjectStore {

  private final S3Client s3;
  private final PresignedUrls presigner;
  private final String bucket;
  private final URI publicBaseUrl;

  public S3ObjectStore(S3Client s3, PresignedUrls presigner, String bucket, URI publicBaseUrl) {
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.publicBaseUrl = publicBaseUrl;
  }

  @Override
  public void put(String key, byte[] bytes, String contentType) {
    call(
        "store " + key,
        () ->
            s3.putObject(
                b -> b.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromBytes(bytes)));
  }

  @Override
  public void put(String key, SpooledBytes bytes, String contentType) {
    // a fresh stream for every try, so the SDK can retry without buffering the body
    ContentStreamProvider content =
        () -> {
          try {
            return bytes.open();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    call(
        "store " + key,
        () ->
            s3.putObject(
                b -> b.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromContentProvider(content, bytes.size(), contentType)));
  }

  @Override
  public byte[] get(String key) {
    try {
      return call("read " + key, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)))
          .asByteArray();
    } catch (StorageUnavailableException e) {
      if (e.getCause() instanceof NoSuchKeyException) {
        throw new MissingObjectException(key);
      }
      throw e;
    }
  }

  @Override
  public void delete(String key) {
    // S3 answers 204 for a missing key too, which is the contract of the port
    call("delete " + key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
  }

  @Override
  public List<String> list(String prefix) {
    return call(
        "list " + prefix,
        () -> {
          List<String> keys = new ArrayList<>();
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
              .contents()
              .forEach(o -> keys.add(o.key()));
          return keys;
        });
  }

  @Override
  public URI readUrl(String key, Duration ttl) {
    if (publicBaseUrl != null) {
      String base = publicBaseUrl.toString();
      return URI.create(base.endsWith("/") ? base + key : base + "/" + key);
    }
    return call("presign " + key, () -> presigner.get(bucket, key, ttl));
  }

  @Override
  public void ensureBucket() {
    call(
        "create bucket " + bucket,
        () -> {
          try {
            s3.headBucket(b -> b.bucket(bucket));
          } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
          } catch (S3Exception e) {
            if (e.statusCode() != 404) {
              throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
          }
          return null;
        });
  }

  @Override
  public void checkBucket() {
    call(
        "check bucket " + bucket,
        () -> {
          s3.headBucket(b -> b.bucket(bucket));
          return null;
        });
  }

  private <T> T call(String what, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (SdkException e) {
      throw new StorageUnavailableException(
          "object storage failed to " + what + ": " + e.getMessage(), e);
    }
  }

  private void call(String what, Runnable action) {
    call(
        what,
        () -> {
          action.run();
          return null;
        });
  }
}
