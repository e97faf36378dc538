package io.retouch.api.intake;

import io.retouch.api.ApiProperties;
import io.retouch.api.http.ApiException;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * How many request body bytes the process is reading and holding at once, capped by {@code
 * retouch.api.max-inflight-body-bytes}: past the cap a submission is a 503 with {@code Retry-After}
 * before anything of it is stored, instead of a burst of large images taking the heap. A submission
 * that arrives while nothing else is in flight is always let in, so the largest allowed body can be
 * sent even under a small cap.
 */
@Component
public class BodyBudget {

  private final long capacity;
  private final ApiProperties props;
  private final AtomicLong used = new AtomicLong();

  public BodyBudget(ApiProperties props) {
    this.props = props;
    this.capacity = props.maxInflightBodyBytes();
  }

  /** Bytes held by submissions now. */
  public long inUse() {
    return used.get();
  }

  /**
   * Reserves {@code declared} bytes (a body's Content-Length; 0 when it is chunked) for one
   * submission, until the permit is closed.
   *
   * @throws ApiException 503 when the bytes do not fit
   */
  public Permit admit(long declared) {
    Permit permit = new Permit();
    permit.growTo(Math.max(0, declared));
    return permit;
  }

  /** One submission's share, grown while a chunked body arrives; close it when done. */
  public final class Permit implements AutoCloseable {
    private long held;

    /** Makes sure {@code bytes} read so far are covered, growing a step at a time. */
    void cover(long bytes, long step) {
      if (bytes > held) {
        growTo((bytes + step - 1) / step * step);
      }
    }

    /** Makes the permit hold at least {@code bytes}; a 503 if they do not fit. */
    public void growTo(long bytes) {
      long more = bytes - held;
      if (more <= 0) {
        return;
      }
      while (true) {
        long current = used.get();
        boolean alone = current == held;
        if (!alone && current + more > capacity) {
          throw new ApiException(
              HttpStatus.SERVICE_UNAVAILABLE,
              "the API is reading as many request bytes as it may hold at once"
                  + " (retouch.api.max-inflight-body-bytes); nothing was stored, try again",
              props.retryAfter());
        }
        if (used.compareAndSet(current, current + more)) {
          held = bytes;
          return;
        }
      }
    }

    @Override
    public void close() {
      used.addAndGet(-held);
      held = 0;
    }
  }
}
