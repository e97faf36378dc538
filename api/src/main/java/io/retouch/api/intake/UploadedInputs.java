package io.retouch.api.intake;

import io.retouch.common.spool.SpooledBytes;
import io.retouch.common.storage.ObjectStore;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The input objects one submission has written so far, so that they can be removed when its job is
 * not recorded: nothing else would ever reference or delete them.
 */
final class UploadedInputs {

  private static final Logger log = LoggerFactory.getLogger(UploadedInputs.class);

  private final ObjectStore store;
  private final UUID jobId;
  private final List<String> keys = new CopyOnWriteArrayList<>();

  UploadedInputs(ObjectStore store, UUID jobId) {
    this.store = store;
    this.jobId = jobId;
  }

  /** Writes one input; safe to call from several threads at once. */
  void put(String key, SpooledBytes bytes, String contentType) {
    store.put(key, bytes, contentType);
    keys.add(key);
  }

  /**
   * Deletes what was written, best effort: a failed delete is logged and never thrown, so the
   * caller's own failure stays the one reported.
   */
  void discard(Exception cause) {
    for (String key : keys) {
      try {
        store.delete(key);
      } catch (RuntimeException e) {
        log.warn(
            "input {} of job {}, which was not accepted ({}), could not be deleted and stays in"
                + " the bucket: {}",
            key,
            jobId,
            cause.getMessage(),
            e.getMessage());
      }
    }
  }
}
