package io.retouch.db.job;

import static io.retouch.common.job.JobStatus.PROCESSING;
import static io.retouch.common.job.JobStatus.QUEUED;
import static io.retouch.db.job.JobSql.instant;
import static io.retouch.db.job.JobSql.ts;

import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.JobTransition;
import io.retouch.common.job.TokenUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * A worker's side of a job: claiming an attempt, keeping its lease, and ending it (succeeded,
 * failed, retry later, canceled, handed back), plus the reaper and the poison path. Each is one
 * guarded {@code UPDATE … WHERE id = ? AND status = ? AND attempts = ? AND lease_owner = ?},
 * applied by {@link Transitions}: the side that loses a race changes nothing and learns it from the
 * {@code false} it gets back.
 */
public class AttemptStore {

  /** Ends other than cancel need the job not to be cancel-requested. */
  private static final String NOT_CANCELED = "AND cancel_requested_at IS NULL";

  private final JdbcClient jdbc;
  private final Clock clock;
  private final JobSql sql;
  private final Transitions transitions;

  /**
   * @param listener told of every transition this store commits (metrics)
   */
  public AttemptStore(JdbcClient jdbc, Clock clock, TransitionListener listener) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.sql = new JobSql(jdbc, clock);
    this.transitions = new Transitions(jdbc, clock, listener);
  }

  /**
   * Starts an attempt: {@code queued → processing} with a lease, when the job is queued, due and
   * not cancel-requested. Empty when another worker won, the job is not due yet, or it is over. The
   * job records {@code model}, the model this worker calls.
   */
  @Transactional
  public Optional<Claim> claim(UUID jobId, String workerId, Duration lease, String model) {
    Instant now = clock.instant();
    Map<String, Object> params = new HashMap<>();
    params.put("worker", workerId);
    params.put("model", model);
    params.put("lease", ts(now.plus(lease)));
    Optional<Claim> claim =
        transitions.apply(
            JobTransition.CLAIM,
            jobId,
            """
            attempts = attempts + 1, lease_owner = :worker, model = :model,
            lease_expires_at = :lease, started_at = COALESCE(started_at, :now),
            next_attempt_at = NULL""",
            """
            AND cancel_requested_at IS NULL
            AND (next_attempt_at IS NULL OR next_attempt_at <= :now)""",
            params,
            "prompt, n, size, quality, options, mime_type, model, created_at, lease_expires_at",
            (rs, i) ->
                new Claim(
                    rs.getObject("id", UUID.class),
                    rs.getObject("dataset_id", UUID.class),
                    rs.getInt("attempts"),
                    workerId,
                    JobSql.spec(rs),
                    rs.getString("mime_type"),
                    rs.getString("model"),
                    instant(rs, "created_at"),
                    instant(rs, "lease_expires_at")));
    claim.ifPresent(
        c ->
            jdbc.sql(
                    """
                    INSERT INTO job_attempts (job_id, attempt, worker_id, started_at, model)
                    VALUES (:job, :attempt, :worker, :now, :model)
                    """)
                .param("model", model)
                .param("job", c.jobId())
                .param("attempt", c.attempt())
                .param("worker", workerId)
                .param("now", ts(now))
                .update());
    return claim;
  }

  /**
   * Turns a message that came before its job was due (the job waits for a retry at a time this
   * worker's clock has not reached: an early duplicate, or a relay whose clock runs ahead) into a
   * new outbox entry for the due time, rather than dropping it and stranding the job.
   *
   * @return false when the job is not waiting for a retry, so there is nothing to defer
   */
  @Transactional
  public boolean deferUntilDue(UUID jobId) {
    return jdbc.sql(
                """
                WITH due AS (
                  UPDATE edit_jobs SET enqueued_at = next_attempt_at
                   WHERE id = :id AND status = :queued AND cancel_requested_at IS NULL
                     AND next_attempt_at > :now
                  RETURNING id, attempts, next_attempt_at)
                INSERT INTO job_outbox (job_id, attempt, available_at, created_at)
                SELECT id, attempts + 1, next_attempt_at, :now FROM due
                """)
            .param("queued", QUEUED.wireName())
            .param("id", jobId)
            .param("now", ts(clock.instant()))
            .update()
        == 1;
  }

  /** What a lease renewal found. */
  public enum LeaseState {
    HELD,
    CANCEL_REQUESTED,
    LOST
  }

  /**
   * Extends the lease of a running attempt. {@link LeaseState#LOST} means another attempt (or the
   * reaper) owns the job now: the worker must stop and write nothing.
   */
  @Transactional
  public LeaseState renewLease(Claim claim, Duration lease) {
    return jdbc.sql(
            """
            UPDATE edit_jobs SET lease_expires_at = :lease
             WHERE id = :id AND status = :processing AND attempts = :attempt
               AND lease_owner = :worker
            RETURNING cancel_requested_at IS NOT NULL
            """)
        .param("lease", ts(clock.instant().plus(lease)))
        .param("processing", PROCESSING.wireName())
        .param("id", claim.jobId())
        .param("attempt", claim.attempt())
        .param("worker", claim.workerId())
        .query(Boolean.class)
        .optional()
        .map(cancel -> cancel ? LeaseState.CANCEL_REQUESTED : LeaseState.HELD)
        .orElse(LeaseState.LOST);
  }

  /**
   * Records that the attempt runs on {@code model} because the model it claimed with answered
   * {@code model_not_found}: the attempt row keeps both, and the job shows the model that runs. Not
   * a status change; false when the attempt is no longer this worker's.
   */
  @Transactional
  public boolean switchModel(Claim claim, String model) {
    int changed =
        jdbc.sql(
                """
                UPDATE edit_jobs SET model = :model, updated_at = :now
                 WHERE id = :id AND status = :processing AND attempts = :attempt
                   AND lease_owner = :worker
                """)
            .param("model", model)
            .param("now", ts(clock.instant()))
            .param("processing", PROCESSING.wireName())
            .param("id", claim.jobId())
            .param("attempt", claim.attempt())
            .param("worker", claim.workerId())
            .update();
    if (changed == 0) {
      return false;
    }
    jdbc.sql(
            """
            UPDATE job_attempts SET model = :model, fallback_from = :from
             WHERE job_id = :id AND attempt = :attempt
            """)
        .param("model", model)
        .param("from", claim.model())
        .param("id", claim.jobId())
        .param("attempt", claim.attempt())
        .update();
    return true;
  }

  /**
   * {@code processing → succeeded} with the outputs; false when the claim is no longer current or a
   * cancel was requested meanwhile (then {@link #cancelProcessing} ends it).
   */
  @Transactional
  public boolean succeed(Claim claim, List<NewOutput> outputs, TokenUsage usage) {
    Instant now = clock.instant();
    Map<String, Object> values = new HashMap<>();
    values.put("in", usage.inputTokens());
    values.put("out", usage.outputTokens());
    values.put("total", usage.totalTokens());
    boolean ended =
        endAttempt(
            claim,
            JobTransition.SUCCEED,
            "finished_at = :now, error_code = NULL, error_message = NULL, input_tokens = :in,"
                + " output_tokens = :out, total_tokens = :total",
            values,
            NOT_CANCELED);
    if (!ended) {
      return false;
    }
    for (NewOutput output : outputs) {
      jdbc.sql(
              """
              INSERT INTO job_outputs (job_id, idx, s3_key, mime_type, bytes, sha256)
              VALUES (:job, :idx, :key, :mime, :bytes, :sha)
              """)
          .param("job", claim.jobId())
          .param("idx", output.index())
          .param("key", output.s3Key())
          .param("mime", output.mimeType())
          .param("bytes", output.bytes())
          .param("sha", output.sha256())
          .update();
    }
    sql.finishAttempt(claim, "succeeded", null, null, now);
    return true;
  }

  /** {@code processing → failed}; false when the claim is no longer current or cancel-requested. */
  @Transactional
  public boolean fail(Claim claim, ErrorCode code, String message) {
    Instant now = clock.instant();
    boolean ended =
        endAttempt(
            claim,
            JobTransition.FAIL,
            "finished_at = :now, error_code = :code, error_message = :message",
            Transitions.error(code, message),
            NOT_CANCELED);
    if (!ended) {
      return false;
    }
    sql.finishAttempt(claim, "failed", code, message, now);
    return true;
  }

  /**
   * {@code processing → queued} after a transient failure, due again at {@code at}; the outbox
   * entry written with it is what brings the job back, so the delay is held by the database and no
   * consumer thread sleeps. The error stays on the job as its last error.
   */
  @Transactional
  public boolean retryLater(Claim claim, ErrorCode code, String message, Instant at) {
    Instant now = clock.instant();
    Map<String, Object> values = Transitions.error(code, message);
    values.put("at", ts(at));
    boolean ended =
        endAttempt(
            claim,
            JobTransition.RETRY_LATER,
            "next_attempt_at = :at, error_code = :code, error_message = :message",
            values,
            NOT_CANCELED);
    if (!ended) {
      return false;
    }
    sql.finishAttempt(claim, "retry", code, message, now);
    sql.enqueue(claim.jobId(), claim.attempt() + 1, at);
    return true;
  }

  /** {@code processing → canceled} after a requested cancel; nothing of the attempt is kept. */
  @Transactional
  public boolean cancelProcessing(Claim claim) {
    Instant now = clock.instant();
    boolean ended =
        endAttempt(
            claim,
            JobTransition.CANCEL_RUNNING,
            "finished_at = :now",
            new HashMap<>(),
            "AND cancel_requested_at IS NOT NULL");
    if (!ended) {
      return false;
    }
    sql.finishAttempt(claim, "canceled", null, null, now);
    return true;
  }

  /**
   * Ends an attempt with {@code transition}, only while the claim is current (same attempt, same
   * lease owner).
   */
  private boolean endAttempt(
      Claim claim,
      JobTransition transition,
      String assignments,
      Map<String, Object> values,
      String extraCondition) {
    Map<String, Object> params = new HashMap<>(values);
    params.put("attempt", claim.attempt());
    params.put("worker", claim.workerId());
    return transitions
        .apply(
            transition,
            claim.jobId(),
            "lease_owner = NULL, lease_expires_at = NULL, " + assignments,
            "AND attempts = :attempt AND lease_owner = :worker " + extraCondition,
            params,
            "",
            (rs, i) -> true)
        .isPresent();
  }

  /**
   * Gives a running attempt back (a worker shutting down): the job is queued again at once, or
   * canceled if that was asked for.
   */
  @Transactional
  public boolean release(Claim claim, String reason) {
    // A hand-back is the worker's doing, not the job's: it spends no attempt budget or deadline.
    return sql.requeueOrEnd(
        transitions,
        claim.jobId(),
        claim.attempt(),
        claim.workerId(),
        reason,
        Integer.MAX_VALUE,
        null);
  }
}
