package io.retouch.db.job;

import static io.retouch.db.job.JobSql.truncate;
import static io.retouch.db.job.JobSql.ts;

import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.JobStatus;
import io.retouch.common.job.JobTransition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * What happens to jobs whose worker or message is gone: the reaper returns jobs with expired leases
 * to the queue, and a dead-lettered message fails its job.
 */
public class JobRecovery {

  private final JdbcClient jdbc;
  private final Clock clock;
  private final JobSql sql;
  private final Transitions transitions;

  /**
   * @param listener told of every transition this store commits (metrics)
   */
  public JobRecovery(JdbcClient jdbc, Clock clock, TransitionListener listener) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.sql = new JobSql(jdbc, clock);
    this.transitions = new Transitions(jdbc, clock, listener);
  }

  /**
   * Returns jobs whose lease ran out (their worker died or hung) to the queue; {@code FOR UPDATE
   * SKIP LOCKED} lets any number of reapers run side by side. A job that has used all its attempts
   * or is older than {@code deadline} fails instead, and a cancel-requested one is canceled.
   *
   * @return the ids of the jobs reaped
   */
  @Transactional
  public List<UUID> reapExpiredLeases(int limit, int maxAttempts, Duration deadline) {
    Instant now = clock.instant();
    List<Expired> expired =
        jdbc.sql(
                """
                SELECT id, attempts, lease_owner FROM edit_jobs
                 WHERE status = :processing AND lease_expires_at < :now
                 ORDER BY lease_expires_at
                 LIMIT :limit
                   FOR UPDATE SKIP LOCKED
                """)
            .param("now", ts(now))
            .param("processing", JobStatus.PROCESSING.wireName())
            .param("limit", limit)
            .query(
                (rs, i) ->
                    new Expired(
                        rs.getObject("id", UUID.class),
                        rs.getInt("attempts"),
                        rs.getString("lease_owner")))
            .list();
    for (Expired job : expired) {
      sql.requeueOrEnd(
          transitions,
          job.id(),
          job.attempts(),
          job.owner(),
          "the lease of worker " + job.owner() + " ran out",
          maxAttempts,
          now.minus(deadline));
    }
    return expired.stream().map(Expired::id).toList();
  }

  /**
   * Fails a job whose message the broker gave up on (delivery limit reached); a job already
   * finished is left alone. A message for attempt {@code n} is stale once attempt {@code n} (or a
   * later one) has started, from it or from another message, and then fails nothing: a copy
   * dead-lettered late must not fail a job that is doing fine. Attempt 0 (a message that named
   * none) counts as current.
   */
  @Transactional
  public boolean failPoisoned(UUID jobId, int attempt, String message) {
    Instant now = clock.instant();
    Map<String, Object> params = Transitions.error(ErrorCode.POISON_MESSAGE, message);
    params.put("attempt", attempt);
    boolean failed =
        transitions
            .apply(
                JobTransition.FAIL_POISONED,
                jobId,
                """
                error_code = :code, error_message = :message, finished_at = :now,
                lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL""",
                "AND (:attempt = 0 OR attempts < :attempt)",
                params,
                "",
                (rs, i) -> true)
            .isPresent();
    if (!failed) {
      return false;
    }
    jdbc.sql(
            """
            UPDATE job_attempts SET finished_at = :now, outcome = :outcome,
                   error_code = :code, error_message = :message
             WHERE job_id = :job AND finished_at IS NULL
            """)
        .param("now", ts(now))
        .param("outcome", "failed")
        .param("code", ErrorCode.POISON_MESSAGE.wireName())
        .param("message", truncate(message))
        .param("job", jobId)
        .update();
    return true;
  }

  private record Expired(UUID id, int attempts, String owner) {}
}
