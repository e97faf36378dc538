package io.retouch.testkit.openai;

/** The request body is not well-formed {@code multipart/form-data}. */
final class MalformedMultipartException extends RuntimeException {

  MalformedMultipartException(String message) {
    super(message);
  }
}
