package io.retouch.common.storage;

import io.retouch.common.spool.SpooledBytes;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where inputs and outputs live. The S3 adapter is the only production implementation; failures to
 * reach the store are {@link StorageUnavailableException}, a transient failure.
 */
public interface ObjectStore {

  void put(String key, byte[] bytes, String contentType);

  /**
   * Stores spooled bytes; the S3 adapter streams them from where they are (memory or a temp file)
   * instead of loading them.
   */
  default void put(String key, SpooledBytes bytes, String contentType) {
    put(key, bytes.readAllBytes(), contentType);
  }

  /**
   * @throws MissingObjectException when nothing is stored under the key
   */
  byte[] get(String key);

  /**
   * Removes the object under the key. Removing a key that holds nothing is not an error, so a
   * cleanup may be repeated.
   */
  void delete(String key);

  /** Keys under a prefix, in lexical order. */
  List<String> list(String prefix);

  /** A URL a client can GET without credentials, valid for {@code ttl} (or longer, for a CDN). */
  URI readUrl(String key, Duration ttl);

  /** Creates the bucket when it does not exist. */
  void ensureBucket();

  /**
   * Asks the store whether the bucket is there and reachable with these credentials ({@code
   * HeadBucket}), for health checks.
   *
   * @throws StorageUnavailableException when it is not, with the store's reason
   */
  void checkBucket();
}
