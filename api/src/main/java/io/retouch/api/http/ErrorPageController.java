package io.retouch.api.http;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's {@code /error} (timestamps, paths and a 999 status when called directly)
 * for errors the servlet container sends itself ({@code TRACE}, a failure before Spring MVC saw the
 * request): the same {@code {"message"}} as every other answer, saying nothing about the server.
 */
@Hidden
@RestController
public class ErrorPageController implements ErrorController {

  private static final Logger log = LoggerFactory.getLogger(ErrorPageController.class);

  @RequestMapping("${server.error.path:/error}")
  public ResponseEntity<ErrorBody> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    if (!(code instanceof Integer status)) {
      // asked for directly, not forwarded by the container
      return ResponseEntity.status(HttpStatus.NOT_FOUND)
          .contentType(MediaType.APPLICATION_JSON)
          .body(new ErrorBody("no such endpoint: " + request.getRequestURI()));
    }
    if (status >= 500) {
      log.error(
          "{} from the container for {}",
          status,
          request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
          (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
    }
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(new ErrorBody(ContainerErrors.message(status)));
  }
}
