package io.retouch.common.id;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Time-ordered UUIDs (RFC 9562 version 7): a 48-bit Unix millisecond timestamp followed by random
 * bits, so ids sort by creation time and keyset pagination can page by id alone.
 */
public final class UuidV7 {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;

  public UuidV7(Clock clock) {
    this.clock = clock;
  }

  public UUID next() {
    long millis = clock.millis();
    long randA = RANDOM.nextLong() & 0xFFFL;
    long msb = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
    long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }
}
