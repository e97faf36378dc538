package io.retouch.api.http;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Context;
import org.apache.catalina.Host;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * Errors Tomcat answers before a request reaches Spring (a malformed or encoded path, a bad request
 * line, headers over the limit) come from its error report valve as an HTML page. This replaces the
 * valve so those answers are {@code {"message"}} JSON too, with nothing about the server in them.
 */
@Configuration(proxyBeanMethods = false)
public class ContainerErrors {

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReports() {
    return factory ->
        factory.addContextCustomizers(
            (Context context) -> {
              // the context is already a child of its host here, which starts (and adds this
              // valve) only later
              Host host = (Host) context.getParent();
              if (host instanceof StandardHost standard) {
                standard.setErrorReportValveClass(JsonErrorReportValve.class.getName());
              }
            });
  }

  /** The message of a status the container chose, in the words of the rest of the API. */
  static String message(int status) {
    return switch (status) {
      case 400 -> "the request is malformed (its request line, path, headers or encoding)";
      case 404 -> "no such endpoint";
      case 405 -> "this method is not supported here";
      case 408 -> "the request took too long to arrive";
      case 413 -> "the request body is too large";
      case 414 -> "the request URI is too long";
      case 431 -> "the request headers are too large";
      case 500 -> "internal error";
      default -> {
        HttpStatus known = HttpStatus.resolve(status);
        yield known == null
            ? "request failed"
            : known.getReasonPhrase().toLowerCase(java.util.Locale.ROOT);
      }
    };
  }

  /** Tomcat's error report valve, writing {@code {"message"}} instead of an HTML page. */
  public static final class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
      int status = response.getStatus();
      if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
        return;
      }
      AtomicBoolean ioAllowed = new AtomicBoolean();
      response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
      if (!ioAllowed.get()) {
        return;
      }
      try {
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        Writer writer = response.getReporter();
        if (writer != null) {
          writer.write("{\"message\":\"" + message(status) + "\"}");
          response.finishResponse();
        }
      } catch (IOException | IllegalStateException e) {
        // the client is gone or the response cannot take a body; nothing more to do
      }
    }
  }
}
