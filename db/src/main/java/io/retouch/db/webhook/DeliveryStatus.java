package io.retouch.db.webhook;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a webhook delivery stands. Only {@link #PENDING} is sent; the others are final. */
public enum DeliveryStatus {
  /** Due at its next attempt time (or being sent, while a dispatcher holds its lease). */
  PENDING,
  /** A 2xx answer came back. */
  DELIVERED,
  /** Every attempt of the retry schedule failed. */
  EXHAUSTED,
  /** The address policy refused the receiver's address. */
  REFUSED,
  /** The receiver answered 410 Gone. */
  GONE,
  /** Not sent: the endpoint was turned off (or, per-job, its receiver was gone) first. */
  SKIPPED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<DeliveryStatus> fromWireName(String value) {
    return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
  }
}
