package io.retouch.db.usage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What a dataset's finished jobs used, summed by period, final status and model, straight from the
 * jobs (no separate counter that could drift from them). A job counts in the period it finished.
 */
public final class UsageStore {

  private final JdbcClient jdbc;

  public UsageStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A period's length. */
  public enum Granularity {
    HOUR("hour"),
    DAY("day");

    private final String wireName;

    Granularity(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /**
   * The jobs of one period, final status and model.
   *
   * @param images outputs stored for them
   */
  public record Row(
      Instant periodStart,
      String status,
      String model,
      long jobs,
      long images,
      long inputTokens,
      long outputTokens) {}

  /** Jobs of {@code datasetId} that finished in {@code [from, to)}, oldest period first. */
  public List<Row> usage(UUID datasetId, Instant from, Instant to, Granularity granularity) {
    return jdbc.sql(
            """
            SELECT date_trunc(:unit, j.finished_at, 'UTC') AS period, j.status, j.model,
                   count(*) AS jobs,
                   coalesce(sum((SELECT count(*) FROM job_outputs o WHERE o.job_id = j.id)), 0)
                     AS images,
                   coalesce(sum(j.input_tokens), 0) AS input_tokens,
                   coalesce(sum(j.output_tokens), 0) AS output_tokens
              FROM edit_jobs j
             WHERE j.dataset_id = :dataset AND j.finished_at >= :from AND j.finished_at < :to
             GROUP BY 1, 2, 3
             ORDER BY 1, 2, 3
            """)
        .param("unit", granularity.wireName())
        .param("dataset", datasetId)
        .param("from", from.atOffset(ZoneOffset.UTC))
        .param("to", to.atOffset(ZoneOffset.UTC))
        .query(
            (rs, i) ->
                new Row(
                    rs.getObject("period", OffsetDateTime.class).toInstant(),
                    rs.getString("status"),
                    rs.getString("model"),
                    rs.getLong("jobs"),
                    rs.getLong("images"),
                    rs.getLong("input_tokens"),
                    rs.getLong("output_tokens")))
        .list();
  }
}
