package io.retouch.db.job;

import io.retouch.common.edit.EditOptionsCodec;
import io.retouch.common.edit.EditSpec;
import io.retouch.common.edit.ImageQuality;
import io.retouch.common.edit.ImageSize;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.JobStatus;
import io.retouch.common.job.JobTransition;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Statements both sides of a job share: the outbox entry that (re)queues it, the closing of an
 * attempt row, the end of an attempt whose worker is gone, and value conversions.
 */
final class JobSql {

  private static final int MAX_ERROR_MESSAGE = 4000;

  private final JdbcClient jdbc;
  private final Clock clock;

  JobSql(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  void finishAttempt(Claim claim, String outcome, ErrorCode code, String message, Instant now) {
    jdbc.sql(
            """
            UPDATE job_attempts
               SET finished_at = :now, outcome = :outcome, error_code = :code,
                   error_message = :message
             WHERE job_id = :job AND attempt = :attempt
            """)
        .param("now", ts(now))
        .param("outcome", outcome)
        .param("code", code == null ? null : code.wireName())
        .param("message", truncate(message))
        .param("job", claim.jobId())
        .param("attempt", claim.attempt())
        .update();
  }

  /**
   * Requeues a job that had its turn already (a retry, a reaped or handed-back attempt) through the
   * outbox rather than the fair line: it was admitted once and goes straight back to RabbitMQ, due
   * at {@code availableAt}, which is also when the sweeper starts expecting its message.
   */
  void enqueue(UUID jobId, int attempt, Instant availableAt) {
    jdbc.sql(
            """
            INSERT INTO job_outbox (job_id, attempt, available_at, created_at)
            VALUES (:job, :attempt, :at, :now)
            """)
        .param("job", jobId)
        .param("attempt", attempt)
        .param("at", ts(availableAt))
        .param("now", ts(clock.instant()))
        .update();
    jdbc.sql("UPDATE edit_jobs SET enqueued_at = :at WHERE id = :job")
        .param("job", jobId)
        .param("at", ts(availableAt))
        .update();
  }

  static JobStatus status(String value) {
    return JobStatus.fromWireName(value)
        .orElseThrow(() -> new IllegalStateException("unknown job status in database: " + value));
  }

  static OffsetDateTime ts(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  /**
   * A row's edit, from its prompt, n, size, quality and options columns. Sizes and qualities this
   * version cannot read are an error: they were written by a version that validated them.
   */
  static EditSpec spec(ResultSet rs) throws SQLException {
    String size = rs.getString("size");
    String quality = rs.getString("quality");
    return new EditSpec(
        rs.getString("prompt"),
        rs.getInt("n"),
        ImageSize.fromWireName(size)
            .orElseThrow(() -> new IllegalStateException("unknown size in a job: " + size)),
        ImageQuality.fromWireName(quality)
            .orElseThrow(() -> new IllegalStateException("unknown quality in a job: " + quality)),
        EditOptionsCodec.fromJson(rs.getString("options")));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static String truncate(String message) {
    if (message == null || message.length() <= MAX_ERROR_MESSAGE) {
      return message;
    }
    return message.substring(0, MAX_ERROR_MESSAGE - 1) + "…";
  }

  /**
   * Ends an attempt whose worker is gone or leaving: the job goes back to the queue at once, or is
   * canceled when that was asked, or fails when its attempts are used up or it was created before
   * {@code createdNotBefore} (its total deadline passed; null for none).
   */
  boolean requeueOrEnd(
      Transitions transitions,
      UUID jobId,
      int attempt,
      String owner,
      String reason,
      int maxAttempts,
      Instant createdNotBefore) {
    Instant now = clock.instant();
    Instant cutoff = createdNotBefore == null ? Instant.EPOCH : createdNotBefore;
    Optional<Standing> standing =
        jdbc.sql(
                """
                SELECT cancel_requested_at IS NOT NULL AS canceled, attempts >= :max AS exhausted,
                       created_at < :cutoff AS late
                  FROM edit_jobs
                 WHERE id = :id AND status = :processing AND attempts = :attempt
                   AND lease_owner = :owner
                   FOR UPDATE
                """)
            .param("max", maxAttempts)
            .param("processing", JobStatus.PROCESSING.wireName())
            .param("cutoff", ts(cutoff))
            .param("id", jobId)
            .param("attempt", attempt)
            .param("owner", owner)
            .query(
                (rs, i) ->
                    new Standing(
                        rs.getBoolean("canceled"),
                        rs.getBoolean("exhausted"),
                        rs.getBoolean("late")))
            .optional();
    if (standing.isEmpty()) {
      return false;
    }
    boolean exhausted = standing.get().exhausted();
    JobTransition transition =
        standing.get().canceled()
            ? JobTransition.CANCEL_LOST
            : exhausted || standing.get().late()
                ? JobTransition.FAIL_LOST
                : JobTransition.REQUEUE_LOST;
    Map<String, Object> params = new HashMap<>();
    params.put("attempt", attempt);
    params.put("owner", owner);
    String assignments = "next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL";
    if (transition == JobTransition.CANCEL_LOST) {
      assignments += ", finished_at = :now";
    } else if (transition == JobTransition.FAIL_LOST) {
      params.putAll(
          Transitions.error(
              exhausted ? ErrorCode.RETRIES_EXHAUSTED : ErrorCode.DEADLINE_EXCEEDED,
              "attempt "
                  + attempt
                  + " was lost ("
                  + reason
                  + ")"
                  + (exhausted ? " and no attempts are left" : " after the job's deadline")));
      assignments += ", finished_at = :now, error_code = :code, error_message = :message";
    }
    boolean applied =
        transitions
            .apply(
                transition,
                jobId,
                assignments,
                "AND attempts = :attempt AND lease_owner = :owner",
                params,
                "",
                (rs, i) -> true)
            .isPresent();
    if (!applied) {
      return false;
    }
    jdbc.sql(
            """
            UPDATE job_attempts SET finished_at = :now, outcome = 'lost', error_message = :reason
             WHERE job_id = :job AND attempt = :attempt
            """)
        .param("now", ts(now))
        .param("reason", truncate(reason))
        .param("job", jobId)
        .param("attempt", attempt)
        .update();
    if (transition == JobTransition.REQUEUE_LOST) {
      enqueue(jobId, attempt + 1, now);
    }
    return true;
  }

  /** Where a job whose worker is gone stands. */
  private record Standing(boolean canceled, boolean exhausted, boolean late) {}
}
