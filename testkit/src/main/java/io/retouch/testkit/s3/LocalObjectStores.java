package io.retouch.testkit.s3;

import io.retouch.common.storage.ObjectStore;
import io.retouch.common.storage.S3Clients;
import io.retouch.common.storage.S3ObjectStore;
import io.retouch.common.storage.StorageProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The production S3 adapter over a local S3 (S3Proxy) that lives as long as the test JVM. */
public final class LocalObjectStores {

  private static LocalS3 s3;

  private LocalObjectStores() {}

  /** A store on its own bucket, created if missing. */
  public static synchronized ObjectStore bucket(String bucket) {
    StorageProperties storage = properties(bucket);
    ObjectStore store =
        new S3ObjectStore(
            S3Clients.client(storage),
            S3Clients.transfers(storage),
            S3Clients.presigner(storage),
            bucket,
            null);
    store.ensureBucket();
    return store;
  }

  /** The storage settings of a bucket of the local S3 (for result URLs, say). */
  public static synchronized StorageProperties properties(String bucket) {
    if (s3 == null) {
      try {
        s3 = LocalS3.start(0, Files.createTempDirectory("retouch-tests-s3"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(s3::close));
    }
    return s3.storage(bucket);
  }
}
