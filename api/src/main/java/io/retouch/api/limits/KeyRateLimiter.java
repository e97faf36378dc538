package io.retouch.api.limits;

import io.retouch.api.http.ApiException;
import io.retouch.db.limits.KeyBuckets;
import io.retouch.db.limits.LimitProperties;
import io.retouch.db.limits.LimitProperties.OnOutage;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Spends one token of the caller's key per authenticated request and says what is left in the
 * {@code RateLimit} headers of every answer; a key without tokens gets a 429 before anything else
 * of the request happens, so nothing is stored. When Postgres cannot be asked, {@code
 * retouch.limits.on-outage} decides: {@code open} lets the request through (the default: the
 * request then meets the same outage and gets its own answer), {@code closed} answers 503.
 */
@Component
public class KeyRateLimiter {

  private static final Logger log = LoggerFactory.getLogger(KeyRateLimiter.class);

  private final KeyBuckets buckets;
  private final OnOutage onOutage;
  private final Duration retryAfter;
  private final AtomicBoolean down = new AtomicBoolean();

  public KeyRateLimiter(
      KeyBuckets buckets, LimitProperties limits, io.retouch.api.ApiProperties api) {
    this.buckets = buckets;
    this.onOutage = limits.onOutage();
    this.retryAfter = api.retryAfter();
  }

  /** Spends a token of {@code keyId}, or throws the 429 (or the outage's 503). */
  public void spend(UUID keyId, HttpServletResponse response) {
    KeyBuckets.Take take;
    try {
      take = buckets.take(keyId);
      if (down.compareAndSet(true, false)) {
        log.info("the key rate limiter can reach Postgres again");
      }
    } catch (DataAccessException e) {
      if (down.compareAndSet(false, true)) {
        log.warn("the key rate limiter cannot reach Postgres; failing {}", onOutage);
      }
      if (onOutage == OnOutage.OPEN) {
        return;
      }
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "the rate limiter cannot reach its database (retouch.limits.on-outage=closed); retry"
              + " later",
          retryAfter);
    }
    if (!take.allowed()) {
      throw RateLimits.keyOverRate(buckets, take);
    }
    if (response != null) {
      RateLimits.keyHeaders(buckets, take).forEach(response::setHeader);
    }
  }
}
