package io.retouch.testkit.openai;

/** Stops handling a request with an OpenAI-shaped error response. */
final class RequestRejected extends RuntimeException {

  private final int status;
  private final OpenAiError error;

  RequestRejected(int status, OpenAiError error) {
    super(error.message(), null, false, false);
    this.status = status;
    this.error = error;
  }

  /** A 400 {@code invalid_request_error}. */
  static RequestRejected badRequest(String message, String param, String code) {
    return new RequestRejected(400, OpenAiError.invalidRequest(message, param, code));
  }

  int status() {
    return status;
  }

  OpenAiError error() {
    return error;
  }
}
