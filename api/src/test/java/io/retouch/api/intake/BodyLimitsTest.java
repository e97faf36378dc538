package io.retouch.api.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.api.support.RawHttp;
import io.retouch.api.support.Requests;
import io.retouch.testkit.time.MutableClock;
import java.io.IOException;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

/**
 * Intake is bounded in time (a body trickling in is cut off at {@code body-read-timeout}) and in
 * memory (past {@code max-inflight-body-bytes} a submission is a 503 before its body is read). Time
 * is moved on the API's clock, never slept.
 */
@TestPropertySource(
    properties = {
      "retouch.api.body-read-timeout=30s",
      "retouch.api.max-inflight-body-bytes=1000000"
    })
@Import(BodyLimitsTest.MovableClock.class)
class BodyLimitsTest extends ApiIntegrationTest {

  @TestConfiguration(proxyBeanMethods = false)
  static class MovableClock {
    @Bean
    @Primary
    MutableClock movableClock() {
      return MutableClock.startingNow();
    }
  }

  @Autowired MutableClock clock;
  @Autowired BodyBudget budget;
  @Autowired Clock appClock;

  @Test
  void a_body_that_trickles_in_past_the_deadline_is_a_408_and_stores_nothing() throws IOException {
    assertThat(appClock).isSameAs(clock);
    long jobsBefore = jobCount();
    try (Socket socket = new RawHttp(port).open()) {
      RawHttp.write(socket, head("Transfer-Encoding: chunked"));
      RawHttp.write(socket, chunk("{\"input_images\":["));
      // the server reads the first chunk under its deadline (it holds budget from then on)
      await().atMost(Duration.ofSeconds(20)).until(() -> budget.inUse() > 0);

      clock.advance(Duration.ofSeconds(31));
      RawHttp.write(socket, chunk(Requests.image("a.png", Requests.png())));
      socket.shutdownOutput();
      RawHttp.Response answer = RawHttp.read(socket.getInputStream());

      assertThat(answer.status()).isEqualTo(408);
      assertThat(answer.message())
          .isEqualTo(
              "the request body did not arrive within 30s (retouch.api.body-read-timeout);"
                  + " nothing was stored");
    }
    assertThat(jobCount()).isEqualTo(jobsBefore);
    await().atMost(Duration.ofSeconds(20)).until(() -> budget.inUse() == 0);
  }

  @Test
  void past_the_inflight_budget_a_submission_is_a_503_until_the_bytes_are_released()
      throws IOException {
    long jobsBefore = jobCount();
    try (Socket slow = new RawHttp(port).open()) {
      // a submission that declares 900,000 bytes and sends a few: its share is held meanwhile
      RawHttp.write(slow, head("Content-Length: 900000"));
      RawHttp.write(slow, "{\"input_images\":[");
      await().atMost(Duration.ofSeconds(20)).until(() -> budget.inUse() == 900_000);

      Answer refused = submit(padded(200_000));

      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isEqualTo("5");
      assertThat(refused.message()).contains("retouch.api.max-inflight-body-bytes");
      assertThat(jobCount()).isEqualTo(jobsBefore);
    }
    // the slow client hung up: its share comes back and submissions are taken again
    await().atMost(Duration.ofSeconds(20)).until(() -> budget.inUse() == 0);
    assertThat(submit(padded(200_000)).status()).isEqualTo(202);
  }

  @Test
  void a_submission_larger_than_the_budget_is_taken_when_it_is_alone() {
    assertThat(submit(padded(1_500_000)).status()).isEqualTo(202);
    assertThat(budget.inUse()).isZero();
  }

  /** A valid submission made {@code size} bytes longer by a field Retouch ignores. */
  private static String padded(int size) {
    return "{\"input_images\":["
        + Requests.image("a.png", Requests.png())
        + "],\"prompt\":\"p\",\"padding\":\""
        + "x".repeat(size)
        + "\"}";
  }

  private Answer submit(String body) {
    return api.post(EDIT, body, asOwner("Prefer", "respond-async"));
  }

  private String head(String framing) {
    return "POST "
        + EDIT
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nPrefer: respond-async\r\nAuthorization: "
        + tenant.apiKey()
        + "\r\nTR-Dataset: "
        + tenant.datasetId()
        + "\r\nContent-Type: application/json\r\n"
        + framing
        + "\r\n\r\n";
  }

  private static String chunk(String data) {
    return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
  }
}
