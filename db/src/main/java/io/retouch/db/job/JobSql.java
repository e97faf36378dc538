package io.retouch.db.job;

import static io.retouch.common.job.JobStatus.PROCESSING;
import static io.retouch.common.job.JobStatus.QUEUED;

import io.retouch.common.edit.EditOptionsCodec;
import io.retouch.common.edit.EditSpec;
import io.retouch.common.edit.ImageQuality;
import io.retouch.common.edit.ImageSize;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.JobStatus;
import io.retouch.common.job.JobTransitions;
import io.retouch.db.notify.JobNotifications;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Statements both sides of a job share: the outbox entry that (re)queues it, the notification of a
 * status change (sent at commit), the closing of an attempt row, and value conversions.
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
  }

  void notifyStatus(UUID jobId, JobStatus status) {
    jdbc.sql("SELECT pg_notify(:channel, :payload)")
        .param("channel", JobNotifications.CHANNEL)
        .param("payload", JobNotifications.payload(jobId, status))
        .query(rs -> {});
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
      UUID jobId,
      int attempt,
      String owner,
      String reason,
      int maxAttempts,
      Instant createdNotBefore) {
    Instant now = clock.instant();
    String target =
        jdbc.sql(
                """
                UPDATE edit_jobs
                   SET status = CASE WHEN cancel_requested_at IS NOT NULL THEN 'canceled'
                                     WHEN attempts >= :max OR created_at < :cutoff THEN 'failed'
                                     ELSE 'queued' END,
                       finished_at = CASE WHEN cancel_requested_at IS NOT NULL
                                            OR attempts >= :max OR created_at < :cutoff
                                          THEN :now END,
                       error_code = CASE WHEN cancel_requested_at IS NOT NULL THEN error_code
                                         WHEN attempts >= :max THEN 'retries_exhausted'
                                         WHEN created_at < :cutoff THEN 'deadline_exceeded'
                                         ELSE error_code END,
                       error_message = CASE WHEN cancel_requested_at IS NOT NULL THEN error_message
                                            WHEN attempts >= :max THEN :exhausted
                                            WHEN created_at < :cutoff THEN :late
                                            ELSE error_message END,
                       next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL,
                       updated_at = :now, version = version + 1
                 WHERE id = :id AND status = 'processing' AND attempts = :attempt
                   AND lease_owner = :owner
                RETURNING status
                """)
            .param("max", maxAttempts)
            .param("now", ts(now))
            .param("cutoff", ts(createdNotBefore == null ? Instant.EPOCH : createdNotBefore))
            .param(
                "exhausted",
                "attempt " + attempt + " was lost (" + reason + ") and no attempts are left")
            .param(
                "late",
                "attempt " + attempt + " was lost (" + reason + ") after the job's deadline")
            .param("id", jobId)
            .param("attempt", attempt)
            .param("owner", owner)
            .query(String.class)
            .optional()
            .orElse(null);
    if (target == null) {
      return false;
    }
    JobStatus status = status(target);
    JobTransitions.check(PROCESSING, status);
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
    if (status == QUEUED) {
      enqueue(jobId, attempt + 1, now);
    }
    notifyStatus(jobId, status);
    return true;
  }
}
