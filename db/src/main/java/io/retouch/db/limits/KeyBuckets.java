package io.retouch.db.limits;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One token bucket per API key in Postgres, so every API replica draws from the same bucket. A take
 * is a single upsert that refills the bucket for the time since its last take and removes a token
 * only when one is there; the database's clock is the only clock, so replicas never disagree.
 */
public final class KeyBuckets {

  private final JdbcClient jdbc;
  private final double rate;
  private final int burst;

  /**
   * @param rate tokens added per second
   * @param burst tokens a bucket holds at most
   */
  public KeyBuckets(JdbcClient jdbc, double rate, int burst) {
    this.jdbc = jdbc;
    this.rate = rate;
    this.burst = burst;
  }

  /**
   * @param allowed whether a token was taken
   * @param remaining whole tokens left
   * @param untilToken how long until the next token, when none is left
   * @param untilFull how long until the bucket is full again
   */
  public record Take(boolean allowed, long remaining, Duration untilToken, Duration untilFull) {}

  public double rate() {
    return rate;
  }

  public int burst() {
    return burst;
  }

  /** Takes one token of {@code keyId}'s bucket if it has one. */
  public Take take(UUID keyId) {
    Optional<Double> left =
        jdbc.sql(
                """
                INSERT INTO api_key_buckets AS b (api_key_id, tokens, refreshed_at)
                VALUES (:key, :burst - 1, statement_timestamp())
                ON CONFLICT (api_key_id) DO UPDATE
                   SET tokens = least(:burst, b.tokens + :rate * extract(epoch FROM
                                        statement_timestamp() - b.refreshed_at)) - 1,
                       refreshed_at = statement_timestamp()
                 WHERE least(:burst, b.tokens + :rate * extract(epoch FROM
                             statement_timestamp() - b.refreshed_at)) >= 1
                RETURNING tokens
                """)
            .param("key", keyId)
            .param("burst", (double) burst)
            .param("rate", rate)
            .query(Double.class)
            .optional();
    if (left.isPresent()) {
      return take(true, left.get());
    }
    double level =
        jdbc.sql(
                """
                SELECT least(:burst, tokens + :rate * extract(epoch FROM
                             statement_timestamp() - refreshed_at))
                  FROM api_key_buckets WHERE api_key_id = :key
                """)
            .param("key", keyId)
            .param("burst", (double) burst)
            .param("rate", rate)
            .query(Double.class)
            .single();
    return take(false, level);
  }

  private Take take(boolean allowed, double tokens) {
    return new Take(
        allowed,
        (long) Math.floor(tokens),
        seconds(Math.max(0, 1 - tokens) / rate),
        seconds((burst - tokens) / rate));
  }

  private static Duration seconds(double seconds) {
    return Duration.ofMillis((long) Math.ceil(seconds * 1000));
  }
}
