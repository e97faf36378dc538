package io.retouch.db.event;

import io.retouch.common.event.EventType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads {@code job_events} in id order without gaps: only events whose transaction is over are
 * returned (txid below the snapshot's xmin), so an event committed after a later id can be late for
 * a reader but never skipped by one that resumes from the last id it saw.
 */
public class JobEventStore {

  private static final String COLUMNS =
      "id, job_id, dataset_id, type, attempt, error_code, error_message, next_attempt_at,"
          + " created_at";
  private static final String SETTLED = "txid < pg_snapshot_xmin(pg_current_snapshot())";

  private final JdbcClient jdbc;

  public JobEventStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Events of a dataset (or of one of its jobs) after {@code afterId}, oldest first.
   *
   * @param types the types wanted; empty for all
   */
  @Transactional(readOnly = true)
  public List<JobEvent> after(
      UUID datasetId, Optional<UUID> jobId, long afterId, Set<EventType> types, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + COLUMNS
                + " FROM job_events WHERE dataset_id = :dataset AND id > :after AND "
                + SETTLED);
    Map<String, Object> params = new HashMap<>();
    params.put("dataset", datasetId);
    params.put("after", afterId);
    params.put("limit", limit);
    jobId.ifPresent(
        id -> {
          sql.append(" AND job_id = :job");
          params.put("job", id);
        });
    if (!types.isEmpty()) {
      sql.append(" AND type IN (:types)");
      params.put("types", types.stream().map(EventType::wireName).toList());
    }
    sql.append(" ORDER BY id LIMIT :limit");
    return jdbc.sql(sql.toString()).params(params).query(JobEventStore::row).list();
  }

  @Transactional(readOnly = true)
  public Optional<JobEvent> find(long eventId) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM job_events WHERE id = :id")
        .param("id", eventId)
        .query(JobEventStore::row)
        .optional();
  }

  /** The last event of a dataset readers may see now: where a new stream starts. */
  @Transactional(readOnly = true)
  public long latest(UUID datasetId) {
    return jdbc.sql(
            "SELECT COALESCE(max(id), 0) FROM job_events WHERE dataset_id = :dataset AND "
                + SETTLED)
        .param("dataset", datasetId)
        .query(Long.class)
        .single();
  }

  static JobEvent row(ResultSet rs, int i) throws SQLException {
    String type = rs.getString("type");
    return new JobEvent(
        rs.getLong("id"),
        rs.getObject("job_id", UUID.class),
        rs.getObject("dataset_id", UUID.class),
        EventType.fromWireName(type)
            .orElseThrow(() -> new IllegalStateException("unknown event type " + type)),
        rs.getInt("attempt"),
        Optional.ofNullable(rs.getString("error_code")),
        Optional.ofNullable(rs.getString("error_message")),
        Optional.ofNullable(instant(rs, "next_attempt_at")),
        instant(rs, "created_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static OffsetDateTime ts(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
