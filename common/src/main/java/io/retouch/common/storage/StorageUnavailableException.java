package io.retouch.common.storage;

/** Object storage could not be reached or answered with a server error. */
public class StorageUnavailableException extends RuntimeException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
