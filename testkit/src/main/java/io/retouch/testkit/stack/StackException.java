package io.retouch.testkit.stack;

/** {@code up} cannot go on; the message says why, in words for the user. */
final class StackException extends RuntimeException {
  StackException(String message) {
    super(message);
  }
}
