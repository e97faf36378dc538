package io.retouch.api.limits;

import io.retouch.api.http.ApiException;
import io.retouch.db.job.DatasetLimitReached;
import io.retouch.db.limits.KeyBuckets;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The limits' answers in the IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers):
 * {@code RateLimit-Policy} names a policy and its quota, {@code RateLimit} what is left of it.
 */
public final class RateLimits {

  public static final String POLICY = "RateLimit-Policy";
  public static final String LIMIT = "RateLimit";

  /** The per-key request rate: the bucket's size per the time it takes to refill it. */
  static final String KEY_POLICY = "key";

  /** The per-dataset bound on queued plus running jobs. */
  static final String DATASET_POLICY = "dataset-active";

  private RateLimits() {}

  /** Headers of an answer within the key's rate. */
  static Map<String, String> keyHeaders(KeyBuckets buckets, KeyBuckets.Take take) {
    long window = Math.max(1, Math.round(buckets.burst() / buckets.rate()));
    return Map.of(
        POLICY,
        "\"%s\";q=%d;w=%d".formatted(KEY_POLICY, buckets.burst(), window),
        LIMIT,
        "\"%s\";r=%d;t=%d"
            .formatted(
                KEY_POLICY,
                take.remaining(),
                take.allowed() ? seconds(take.untilFull()) : seconds(take.untilToken())));
  }

  /** The 429 of a key over its rate. */
  static ApiException keyOverRate(KeyBuckets buckets, KeyBuckets.Take take) {
    return new ApiException(
        HttpStatus.TOO_MANY_REQUESTS,
        ("this API key is over its request rate (retouch.limits.key-rate: %s per second, bursts"
                + " of %d); retry after the Retry-After seconds")
            .formatted(formatRate(buckets.rate()), buckets.burst()),
        take.untilToken(),
        keyHeaders(buckets, take));
  }

  /** The 429 of a dataset at its limit of queued and running jobs. */
  public static ApiException datasetFull(DatasetLimitReached e, Duration retryAfter) {
    return new ApiException(
        HttpStatus.TOO_MANY_REQUESTS,
        e.getMessage(),
        retryAfter,
        Map.of(
            POLICY,
            "\"%s\";q=%d;qu=\"concurrent-requests\"".formatted(DATASET_POLICY, e.limit()),
            LIMIT,
            "\"%s\";r=0;t=%d".formatted(DATASET_POLICY, seconds(retryAfter))));
  }

  private static long seconds(Duration duration) {
    return (duration.toMillis() + 999) / 1000;
  }

  private static String formatRate(double rate) {
    return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
  }
}
