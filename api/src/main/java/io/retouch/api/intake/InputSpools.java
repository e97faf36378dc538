package io.retouch.api.intake;

import io.retouch.common.spool.SpooledBytes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The decoded inline images of one request body: each in memory up to {@code threshold} bytes and
 * in a temp file under {@code dir} past it. Closing it deletes them all, so one {@code close} on
 * every path (accepted, refused, the client gone mid-body) leaves no file behind.
 */
final class InputSpools implements AutoCloseable {

  private final Path dir;
  private final int threshold;
  private final List<SpooledBytes> created = new CopyOnWriteArrayList<>();

  InputSpools(Path dir, int threshold) {
    this.dir = dir;
    this.threshold = threshold;
  }

  SpooledBytes next() {
    SpooledBytes spooled = new SpooledBytes(dir, threshold);
    created.add(spooled);
    return spooled;
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (SpooledBytes spooled : created) {
      try {
        spooled.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
