package io.retouch.common.storage;

/** A key that should exist does not. */
public final class MissingObjectException extends RuntimeException {
  public MissingObjectException(String key) {
    super("no object at " + key);
  }
}
