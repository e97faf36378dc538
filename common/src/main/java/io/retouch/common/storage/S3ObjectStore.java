package io.retouch.common.storage;

import io.retouch.common.spool.SpooledBytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link ObjectStore} over the S3 protocol (AWS S3, MinIO, S3Proxy): the per-job reads and writes
 * on signed URLs ({@link SignedTransfers}), the rest through the SDK.
 */
public final class S3ObjectStore implements ObjectStore {

  private final S3Client s3;
  private final SignedTransfers transfers;
  private final PresignedUrls presigner;
  private final String bucket;
  private final URI publicBaseUrl;

  /**
   * @param presigner signs the URLs clients receive (for the public endpoint when there is one)
   */
  public S3ObjectStore(
      S3Client s3,
      SignedTransfers transfers,
      PresignedUrls presigner,
      String bucket,
      URI publicBaseUrl) {
    this.s3 = s3;
    this.transfers = transfers;
    this.presigner = presigner;
    this.bucket = bucket;
    this.publicBaseUrl = publicBaseUrl;
  }

  @Override
  public void put(String key, byte[] bytes, String contentType) {
    transfers.put(key, () -> BodyPublishers.ofByteArray(bytes), bytes.length, contentType);
  }

  @Override
  public void put(String key, SpooledBytes bytes, String contentType) {
    // a fresh stream for every try, streamed from where the bytes are (memory or a temp file);
    // the JDK closes one only at its end, so a try cut short leaves it to be closed here
    Queue<InputStream> opened = new ConcurrentLinkedQueue<>();
    try {
      transfers.put(
          key,
          () ->
              BodyPublishers.ofInputStream(
                  () -> {
                    try {
                      InputStream in = bytes.open();
                      opened.add(in);
                      return in;
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }),
          bytes.size(),
          contentType);
    } finally {
      for (InputStream in : opened) {
        try {
          in.close();
        } catch (IOException e) {
          // closing a read stream of our own temp file: nothing was lost
        }
      }
    }
  }

  @Override
  public byte[] get(String key) {
    return transfers.get(key);
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
