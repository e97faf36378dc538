package io.retouch.api.http;

import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** An answer other than success, with the status and the message the client sees. */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final Duration retryAfter;
  private final Map<String, String> headers;

  public ApiException(HttpStatus status, String message) {
    this(status, message, null);
  }

  /**
   * @param retryAfter sent as {@code Retry-After}, or null for none
   */
  public ApiException(HttpStatus status, String message, Duration retryAfter) {
    this(status, message, retryAfter, Map.of());
  }

  /**
   * @param headers more response headers, e.g. {@code RateLimit}
   */
  public ApiException(
      HttpStatus status, String message, Duration retryAfter, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
    this.headers = Map.copyOf(headers);
  }

  /** Headers to send besides {@code Retry-After}. */
  public Map<String, String> headers() {
    return headers;
  }

  public HttpStatus status() {
    return status;
  }

  /** The {@code Retry-After} to send, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, message);
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(HttpStatus.UNAUTHORIZED, message);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(HttpStatus.FORBIDDEN, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(HttpStatus.NOT_FOUND, message);
  }
}
