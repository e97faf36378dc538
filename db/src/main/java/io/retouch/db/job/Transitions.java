package io.retouch.db.job;

import static io.retouch.db.job.JobSql.instant;
import static io.retouch.db.job.JobSql.truncate;
import static io.retouch.db.job.JobSql.ts;

import io.retouch.common.event.EventType;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.JobTransition;
import io.retouch.common.job.JobTransitions;
import io.retouch.db.notify.JobNotifications;
import io.retouch.db.webhook.DeliveryStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one place a job's status changes. A {@link JobTransition} is applied as one guarded {@code
 * UPDATE … WHERE id = ? AND status IN (from…) [AND guard] RETURNING …}; when it matched, the same
 * transaction writes the transition's event to {@code job_events}, a webhook delivery per target
 * that wants it, and sends the commit notification that wakes waiters and streams. The side that
 * loses a race matches nothing and writes nothing. The callers' transaction must be open
 * ({@code @Transactional}).
 */
final class Transitions {

  /** Columns every transition returns, for its event. */
  private static final String EVENT_COLUMNS =
      "id, dataset_id, attempts, error_code, error_message, next_attempt_at, created_at";

  private final JdbcClient jdbc;
  private final Clock clock;
  private final TransitionListener listener;

  Transitions(JdbcClient jdbc, Clock clock, TransitionListener listener) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.listener = listener;
  }

  /**
   * Applies {@code transition} to a job.
   *
   * @param assignments more {@code SET} items, after {@code status} and {@code updated_at}
   * @param guard more {@code WHERE} conditions ({@code AND …}), or empty
   * @param params values of the named parameters in {@code assignments} and {@code guard}; {@code
   *     :now} is the clock's now
   * @param returning more columns the caller reads with {@code mapper}
   * @return what {@code mapper} made of the changed row; empty when the guard did not match
   */
  <T> Optional<T> apply(
      JobTransition transition,
      UUID jobId,
      String assignments,
      String guard,
      Map<String, Object> params,
      String returning,
      RowMapper<T> mapper) {
    transition.from().forEach(from -> JobTransitions.check(from, transition.to()));
    Instant now = clock.instant();
    Map<String, Object> values = new HashMap<>(params);
    values.put("to", transition.to().wireName());
    values.put("from", transition.from().stream().map(s -> s.wireName()).toList());
    values.put("now", ts(now));
    values.put("id", jobId);
    String sql =
        "UPDATE edit_jobs SET status = :to, updated_at = :now"
            + (assignments.isBlank() ? "" : ", " + assignments)
            + " WHERE id = :id AND status IN (:from) "
            + guard
            + " RETURNING "
            + EVENT_COLUMNS
            + (returning.isBlank() ? "" : ", " + returning);
    List<Row<T>> rows =
        jdbc.sql(sql)
            .params(values)
            .query((rs, i) -> new Row<>(Event.of(rs), mapper.mapRow(rs, i)))
            .list();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row<T> row = rows.getFirst();
    record(transition, row.event(), now);
    return Optional.of(row.value());
  }

  /** The {@link JobTransition#SUBMIT} event of a job just inserted, queued. */
  void submitted(UUID jobId, UUID datasetId, Instant at) {
    record(JobTransition.SUBMIT, new Event(jobId, datasetId, 0, null, null, null, at), at);
  }

  private void record(JobTransition transition, Event changed, Instant now) {
    EventType type = transition.event();
    boolean withError = type == EventType.FAILED || type == EventType.RETRYING;
    long eventId =
        jdbc.sql(
                """
                INSERT INTO job_events (job_id, dataset_id, type, attempt, error_code,
                                        error_message, next_attempt_at, created_at)
                VALUES (:job, :dataset, :type, :attempt, :code, :message, :next, :now)
                RETURNING id
                """)
            .param("job", changed.jobId())
            .param("dataset", changed.datasetId())
            .param("type", type.wireName())
            .param("attempt", changed.attempt())
            .param("code", withError ? changed.errorCode() : null)
            .param("message", withError ? truncate(changed.errorMessage()) : null)
            .param("next", type == EventType.RETRYING ? ts(changed.nextAttemptAt()) : null)
            .param("now", ts(now))
            .query(Long.class)
            .single();
    DeliveryStore.writeForEvent(jdbc, eventId, changed.jobId(), changed.datasetId(), type, now);
    jdbc.sql("SELECT pg_notify(:channel, :payload)")
        .param("channel", JobNotifications.CHANNEL)
        .param(
            "payload",
            JobNotifications.payload(
                changed.jobId(), changed.datasetId(), transition.to(), eventId))
        .query(rs -> {});
    afterCommit(
        new TransitionListener.Change(
            changed.jobId(),
            transition,
            changed.attempt(),
            Optional.ofNullable(withError ? changed.errorCode() : null),
            changed.createdAt(),
            now));
  }

  private void afterCommit(TransitionListener.Change change) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      listener.committed(change);
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            listener.committed(change);
          }
        });
  }

  private record Row<T>(Event event, T value) {}

  /** What a changed row says for its event. */
  private record Event(
      UUID jobId,
      UUID datasetId,
      int attempt,
      String errorCode,
      String errorMessage,
      Instant nextAttemptAt,
      Instant createdAt) {

    static Event of(ResultSet rs) throws SQLException {
      return new Event(
          rs.getObject("id", UUID.class),
          rs.getObject("dataset_id", UUID.class),
          rs.getInt("attempts"),
          rs.getString("error_code"),
          rs.getString("error_message"),
          instant(rs, "next_attempt_at"),
          instant(rs, "created_at"));
    }
  }

  /** A {@link ErrorCode}'s column values, for assignments that set the job's error. */
  static Map<String, Object> error(ErrorCode code, String message) {
    Map<String, Object> values = new HashMap<>();
    values.put("code", code.wireName());
    values.put("message", truncate(message));
    return values;
  }
}
