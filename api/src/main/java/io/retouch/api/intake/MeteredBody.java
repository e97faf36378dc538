package io.retouch.api.intake;

import io.retouch.api.http.ApiException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.HttpStatus;

/**
 * A request body read under its limits: at most {@code maxBytes} (413), all of it before the
 * deadline (408, checked on every read, so a body trickling in a byte a second is cut off as surely
 * as one that stops), and no more than its {@link BodyBudget.Permit} holds, which a chunked body
 * grows a megabyte at a time (503 when the process is full).
 */
final class MeteredBody extends FilterInputStream {

  private static final long BUDGET_STEP = 1 << 20;

  private final long maxBytes;
  private final Instant deadline;
  private final Duration timeout;
  private final Clock clock;
  private final BodyBudget.Permit permit;
  private long count;

  MeteredBody(
      InputStream in, long maxBytes, Duration timeout, Clock clock, BodyBudget.Permit permit) {
    super(in);
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.clock = clock;
    this.deadline = clock.instant().plus(timeout);
    this.permit = permit;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    checkDeadline();
    int n;
    try {
      n = super.read(buffer, offset, length);
    } catch (SocketTimeoutException e) {
      throw timedOut();
    }
    if (n > 0) {
      checkDeadline();
      count += n;
      if (count > maxBytes) {
        throw tooLarge(maxBytes);
      }
      permit.cover(count, BUDGET_STEP);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192));
  }

  private void checkDeadline() {
    if (clock.instant().isAfter(deadline)) {
      throw timedOut();
    }
  }

  private ApiException timedOut() {
    return new ApiException(
        HttpStatus.REQUEST_TIMEOUT,
        "the request body did not arrive within "
            + readable(timeout)
            + " (retouch.api.body-read-timeout); nothing was stored");
  }

  static ApiException tooLarge(long maxBytes) {
    return new ApiException(
        HttpStatus.CONTENT_TOO_LARGE, "the request body is larger than " + maxBytes + " bytes");
  }

  private static String readable(Duration duration) {
    return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
