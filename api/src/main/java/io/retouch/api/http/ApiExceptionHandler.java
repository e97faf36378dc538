package io.retouch.api.http;

import io.retouch.api.ApiProperties;
import io.retouch.common.edit.InvalidRequestException;
import io.retouch.common.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place exceptions become HTTP answers, always {@code {"message"}}. Client mistakes are
 * logged at WARN, our failures at ERROR; a dependency that is down is a 503 with {@code
 * Retry-After}, never a 500.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  private final ApiProperties props;

  public ApiExceptionHandler(ApiProperties props) {
    this.props = props;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ErrorBody> api(ApiException e) {
    return answer(e.status(), e.getMessage());
  }

  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<ErrorBody> invalid(InvalidRequestException e) {
    return answer(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<ErrorBody> missingHeader(MissingRequestHeaderException e) {
    return answer(HttpStatus.BAD_REQUEST, "the " + e.getHeaderName() + " header is required");
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ErrorBody> badParameter(MethodArgumentTypeMismatchException e) {
    return answer(HttpStatus.BAD_REQUEST, e.getName() + " is not valid: " + e.getValue());
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorBody> mediaType(HttpMediaTypeNotSupportedException e) {
    return answer(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE, "the request body must be JSON (application/json)");
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ErrorBody> method(HttpRequestMethodNotSupportedException e) {
    return answer(HttpStatus.METHOD_NOT_ALLOWED, e.getMethod() + " is not supported here");
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ErrorBody> noRoute(NoResourceFoundException e) {
    return answer(HttpStatus.NOT_FOUND, "no such endpoint: /" + e.getResourcePath());
  }

  @ExceptionHandler({
    StorageUnavailableException.class,
    DataAccessException.class,
    CannotCreateTransactionException.class
  })
  ResponseEntity<ErrorBody> dependencyDown(RuntimeException e) {
    log.error("a dependency is unavailable: {}", e.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, String.valueOf(props.retryAfter().toSeconds()))
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            new ErrorBody(
                "a service Retouch depends on is unavailable; nothing was changed, try again"));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ErrorBody> unexpected(Exception e) {
    log.error("unexpected error", e);
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .contentType(MediaType.APPLICATION_JSON)
        .body(new ErrorBody("internal error"));
  }

  private static ResponseEntity<ErrorBody> answer(HttpStatus status, String message) {
    log.warn("{} {}", status.value(), message);
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(new ErrorBody(message));
  }
}
