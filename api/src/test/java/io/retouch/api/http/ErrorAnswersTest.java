package io.retouch.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.api.support.RawHttp;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Whoever produces an error (Tomcat before Spring sees the request, Spring MVC's defaults, the
 * {@code /error} page, our own handlers) the answer is JSON {@code {"message"}} with the right
 * status, and it says nothing about the server.
 */
class ErrorAnswersTest extends ApiIntegrationTest {

  private static final String HOST = "Host: 127.0.0.1\r\nConnection: close\r\n";

  static Stream<Arguments> requests() {
    String longUri = "/api/message/edit_image/" + "a".repeat(10_000);
    return Stream.of(
        row(
            "encoded slash in the path",
            "GET /api/message/edit_image/%2F..%2F HTTP/1.1\r\n" + HOST + "\r\n",
            400),
        row(
            "dot segments above the root",
            "GET /api/../../etc/passwd HTTP/1.1\r\n" + HOST + "\r\n",
            400),
        row("broken percent encoding", "GET /api/%zz HTTP/1.1\r\n" + HOST + "\r\n", 400),
        row("encoded NUL in the path", "GET /api/%00 HTTP/1.1\r\n" + HOST + "\r\n", 400),
        row("backslash in the path", "GET /api\\x HTTP/1.1\r\n" + HOST + "\r\n", 400),
        row("invalid character in the target", "GET /api/{x} HTTP/1.1\r\n" + HOST + "\r\n", 400),
        row("spaces in the request line", "GET /a b c HTTP/1.1\r\n" + HOST + "\r\n", 400),
        row("garbage for a request line", "\u0001\u0002GARBAGE\r\n\r\n", 400),
        row("unknown HTTP version", "GET / HTTP/9.9\r\n" + HOST + "\r\n", 505),
        row(
            "HTTP/1.1 without Host",
            "GET /api/message/edit_image HTTP/1.1\r\nConnection: close\r\n\r\n",
            400),
        row("a URI over the limit", "GET " + longUri + " HTTP/1.1\r\n" + HOST + "\r\n", 400),
        row(
            "headers over the limit",
            "GET / HTTP/1.1\r\n" + HOST + "X-Big: " + "b".repeat(10_000) + "\r\n\r\n",
            400),
        row(
            "a control character in a header",
            "GET / HTTP/1.1\r\n" + HOST + "X-Bad: a\u0001b\r\n\r\n",
            400),
        row("a header without a colon", "GET / HTTP/1.1\r\n" + HOST + "NoColonHere\r\n\r\n", 400),
        row(
            "a non-numeric Content-Length",
            "POST /api/message/edit_image HTTP/1.1\r\n" + HOST + "Content-Length: abc\r\n\r\n",
            400),
        // RFC 9112 §6.1: Transfer-Encoding wins over Content-Length; this body is empty, not JSON
        row(
            "Content-Length and chunked together",
            "POST /api/message/edit_image HTTP/1.1\r\n"
                + HOST
                + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            415),
        row(
            "an unknown transfer coding",
            "POST /api/message/edit_image HTTP/1.1\r\n" + HOST + "Transfer-Encoding: zip\r\n\r\n",
            501),
        row("TRACE", "TRACE /api/message/edit_image HTTP/1.1\r\n" + HOST + "\r\n", 405),
        row(
            "DELETE on the collection",
            "DELETE /api/message/edit_image HTTP/1.1\r\n" + HOST + "\r\n",
            405),
        row("/error asked for directly", "GET /error HTTP/1.1\r\n" + HOST + "\r\n", 404),
        row("POST to /error", "POST /error HTTP/1.1\r\n" + HOST + "Content-Length: 0\r\n\r\n", 404),
        row("an unknown path", "GET /nope HTTP/1.1\r\n" + HOST + "\r\n", 404),
        row(
            "an unknown path under the API",
            "GET /api/message/edit_image/a/b/c HTTP/1.1\r\n" + HOST + "\r\n",
            404),
        row(
            "Accept text/html",
            "GET /api/message/edit_image HTTP/1.1\r\n" + HOST + "Accept: text/html\r\n\r\n",
            406),
        row(
            "Accept image/png on a submission",
            "POST /api/message/edit_image HTTP/1.1\r\n"
                + HOST
                + "Accept: image/png\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
            406),
        row(
            "Accept text/html on the job",
            "GET /api/message/edit_image/01a20e07-0000-7000-8000-000000000000 HTTP/1.1\r\n"
                + HOST
                + "Accept: text/html\r\n\r\n",
            406),
        row(
            "a form body",
            "POST /api/message/edit_image HTTP/1.1\r\n"
                + HOST
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b",
            415),
        row("no credentials", "GET /api/message/edit_image HTTP/1.1\r\n" + HOST + "\r\n", 401));
  }

  private static Arguments row(String name, String request, int status) {
    return Arguments.of(name, request, status);
  }

  @ParameterizedTest(name = "{0} is a {2}")
  @MethodSource("requests")
  void every_error_is_json_with_a_message_and_the_right_status(
      String name, String request, int status) {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logged.start();
    root.addAppender(logged);
    RawHttp.Response answer;
    try {
      answer = new RawHttp(port).exchange(request);
    } finally {
      root.detachAppender(logged);
    }

    // a client's mistake is worth a WARN at most, without a stack trace (Tomcat's own one-time
    // INFO notice about unparseable requests carries one)
    assertThat(logged.list)
        .noneMatch(
            e ->
                e.getLevel().isGreaterOrEqual(Level.ERROR)
                    || (e.getLevel().isGreaterOrEqual(Level.WARN)
                        && e.getThrowableProxy() != null));

    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    assertThat(answer.json()).as(answer.body()).isNotNull();
    assertThat(answer.json().propertyNames()).containsExactly("message");
    assertThat(answer.message()).isNotBlank();
    assertThat(answer.body().toLowerCase(java.util.Locale.ROOT))
        .doesNotContain("tomcat", "apache", "spring", "exception", "<html", "java.", "timestamp");
    assertThat(answer.header("Server")).isNull();
  }
}
