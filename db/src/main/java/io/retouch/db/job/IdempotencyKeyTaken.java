package io.retouch.db.job;

/** Another submission holds the idempotency key; the caller looks that job up instead. */
public final class IdempotencyKeyTaken extends RuntimeException {
  public IdempotencyKeyTaken(String key) {
    super("idempotency key " + key + " is already in use");
  }
}
