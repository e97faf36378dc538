package io.retouch.common.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7Test {

  @Test
  void carries_version_7_variant_2_and_the_clock_time() {
    Instant now = Instant.parse("2026-11-24T12:00:00.123Z");
    UUID id = new UuidV7(Clock.fixed(now, ZoneOffset.UTC)).next();
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(timestampMillis(id)).isEqualTo(now.toEpochMilli());
  }

  @Test
  void later_ids_sort_after_earlier_ones() {
    UUID earlier =
        new UuidV7(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)).next();
    UUID later =
        new UuidV7(Clock.fixed(Instant.parse("2026-01-01T00:00:00.001Z"), ZoneOffset.UTC)).next();
    // Postgres compares uuids bytewise, i.e. as unsigned; so does this comparison.
    assertThat(
            Long.compareUnsigned(earlier.getMostSignificantBits(), later.getMostSignificantBits()))
        .isNegative();
  }

  /** The creation time a version 7 id carries in its first 48 bits, in Unix milliseconds. */
  private static long timestampMillis(UUID id) {
    return id.getMostSignificantBits() >>> 16;
  }
}
