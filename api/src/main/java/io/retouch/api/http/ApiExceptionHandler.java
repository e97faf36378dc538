package io.retouch.api.http;

import io.retouch.api.ApiProperties;
import io.retouch.common.edit.InvalidRequestException;
import io.retouch.common.storage.StorageUnavailableException;
import io.retouch.db.DatabaseFailure;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place exceptions become HTTP answers, always {@code {"message"}} as JSON whatever the
 * request's {@code Accept} says. Spring MVC's own failures (method, media types, missing headers,
 * unknown routes, …) keep the status Spring gives them. Client mistakes are logged at WARN, our
 * failures at ERROR. A database error caused by the data is a 400 or 409, never an outage; a
 * dependency that is down is a 503 with {@code Retry-After}.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  private final ApiProperties props;

  public ApiExceptionHandler(ApiProperties props) {
    this.props = props;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ErrorBody> api(ApiException e) {
    // a 503 thrown on purpose sheds load (the body budget): expected under pressure, not a fault
    if (e.status().is5xxServerError() && e.status() != HttpStatus.SERVICE_UNAVAILABLE) {
      log.error("{} {}", e.status().value(), e.getMessage());
    } else {
      log.warn("{} {}", e.status().value(), e.getMessage());
    }
    var answer = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
    if (e.retryAfter() != null) {
      // whole seconds, never 0: a client told to retry at once would spin
      answer.header(
          HttpHeaders.RETRY_AFTER,
          String.valueOf(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
    }
    e.headers().forEach(answer::header);
    return answer.body(new ErrorBody(e.getMessage()));
  }

  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<ErrorBody> invalid(InvalidRequestException e) {
    return answer(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  @ExceptionHandler(StorageUnavailableException.class)
  ResponseEntity<ErrorBody> storageDown(StorageUnavailableException e) {
    return unavailable(e);
  }

  @ExceptionHandler({DataAccessException.class, TransactionException.class})
  ResponseEntity<ErrorBody> database(RuntimeException e) {
    return switch (DatabaseFailure.of(e)) {
      case BAD_DATA -> {
        log.warn("the database refused a value of a request: {}", e.getMessage());
        yield answer(
            HttpStatus.BAD_REQUEST,
            "the request holds a value that cannot be stored (a character, length or number out of"
                + " range); nothing was changed");
      }
      case CONFLICT -> {
        log.warn("the database refused a change as a conflict: {}", e.getMessage());
        yield answer(
            HttpStatus.CONFLICT, "the request conflicts with stored data; nothing was changed");
      }
      case UNAVAILABLE -> unavailable(e);
      case BUG -> unexpected(e);
    };
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ErrorBody> unexpected(Exception e) {
    log.error("unexpected error", e);
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .contentType(MediaType.APPLICATION_JSON)
        .body(new ErrorBody("internal error"));
  }

  /** Spring MVC's own exceptions, with the status it chose and a message of ours. */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (request instanceof ServletWebRequest servlet
        && servlet.getResponse() instanceof HttpServletResponse response
        && response.isCommitted()) {
      return null;
    }
    String message = messageFor(ex, status);
    if (status.is5xxServerError()) {
      log.error("{} {}", status.value(), message, ex);
    } else {
      log.warn("{} {}", status.value(), message);
    }
    HttpHeaders answerHeaders = new HttpHeaders();
    // Allow (405) and Accept (415) help the client; everything else Spring set is dropped
    headers.forEach(
        (name, values) -> {
          if (name.equalsIgnoreCase(HttpHeaders.ALLOW)
              || name.equalsIgnoreCase(HttpHeaders.ACCEPT)) {
            answerHeaders.addAll(name, values);
          }
        });
    answerHeaders.setContentType(MediaType.APPLICATION_JSON);
    return ResponseEntity.status(status).headers(answerHeaders).body(new ErrorBody(message));
  }

  private static String messageFor(Exception ex, HttpStatusCode status) {
    return switch (ex) {
      case MissingRequestHeaderException e -> "the " + e.getHeaderName() + " header is required";
      case MethodArgumentTypeMismatchException e -> e.getName() + " is not valid: " + e.getValue();
      case HttpMediaTypeNotSupportedException e ->
          "the request body must be JSON (application/json)";
      case HttpMediaTypeNotAcceptableException e ->
          "this endpoint answers application/json, which the Accept header does not allow";
      case HttpRequestMethodNotSupportedException e -> e.getMethod() + " is not supported here";
      case NoResourceFoundException e -> "no such endpoint: /" + e.getResourcePath();
      default ->
          status instanceof HttpStatus known
              ? known.getReasonPhrase().toLowerCase(java.util.Locale.ROOT)
              : "request failed with status " + status.value();
    };
  }

  private ResponseEntity<ErrorBody> unavailable(RuntimeException e) {
    log.error("a dependency is unavailable: {}", e.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, String.valueOf(props.retryAfter().toSeconds()))
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            new ErrorBody(
                "a service Retouch depends on is unavailable; nothing was changed, try again"));
  }

  static ResponseEntity<ErrorBody> answer(HttpStatus status, String message) {
    log.warn("{} {}", status.value(), message);
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(new ErrorBody(message));
  }
}
