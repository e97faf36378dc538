package io.retouch.db.job;

import static io.retouch.common.job.JobStatus.CANCELED;
import static io.retouch.common.job.JobStatus.FAILED;
import static io.retouch.common.job.JobStatus.PROCESSING;
import static io.retouch.common.job.JobStatus.QUEUED;
import static io.retouch.common.job.JobStatus.SUCCEEDED;

import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.JobStatus;
import io.retouch.common.job.JobTransitions;
import io.retouch.db.notify.JobNotifications;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every read and write of edit jobs. Status changes are intent methods; each checks {@link
 * JobTransitions} and runs one {@code UPDATE … WHERE id = ? AND status = ?} (plus the attempt and
 * the lease owner for a worker's writes), so the side that loses a race changes nothing and learns
 * it from the {@code false} it gets back. Every status change also sends a Postgres notification,
 * delivered at commit, that wakes the API's waiters.
 */
public class JobStore {

  private static final int MAX_ERROR_MESSAGE = 4000;
  private static final String JOB_COLUMNS =
      "id, organization_id, dataset_id, status, prompt, n, size, quality, mime_type, model,"
          + " attempts, error_code, error_message, cancel_requested_at, created_at, started_at,"
          + " finished_at";

  private final JdbcClient jdbc;
  private final Clock clock;

  public JobStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Records a queued job, its inputs and its first outbox entry in one transaction. */
  @Transactional
  public void create(NewJob job) {
    create(job, Optional.empty());
  }

  /**
   * Like {@link #create(NewJob)}, also claiming an idempotency key for the job in the same
   * transaction; a key held by another job within the window rolls everything back with {@link
   * IdempotencyKeyTaken}.
   */
  @Transactional
  public void create(NewJob job, Optional<IdempotencyKey> idempotency) {
    jdbc.sql(
            """
            INSERT INTO edit_jobs (id, organization_id, dataset_id, status, prompt, n, size, quality,
                                   mime_type, model, created_at, updated_at)
            VALUES (:id, :org, :dataset, 'queued', :prompt, :n, :size, :quality, :mime, :model,
                    :created, :created)
            """)
        .param("id", job.id())
        .param("org", job.organizationId())
        .param("dataset", job.datasetId())
        .param("prompt", job.prompt())
        .param("n", job.n())
        .param("size", job.size())
        .param("quality", job.quality())
        .param("mime", job.mimeType())
        .param("model", job.model())
        .param("created", ts(job.createdAt()))
        .update();
    for (NewJob.Input input : job.inputs()) {
      jdbc.sql(
              """
              INSERT INTO job_inputs (job_id, idx, file_name, s3_key, source_url, mime_type, bytes,
                                      sha256)
              VALUES (:job, :idx, :name, :key, :url, :mime, :bytes, :sha)
              """)
          .param("job", job.id())
          .param("idx", input.index())
          .param("name", input.fileName())
          .param("key", input.s3Key())
          .param("url", input.sourceUrl())
          .param("mime", input.mimeType())
          .param("bytes", input.bytes())
          .param("sha", input.sha256())
          .update();
    }
    enqueue(job.id(), 1, job.createdAt());
    idempotency.ifPresent(key -> claimIdempotencyKey(job, key));
  }

  private void claimIdempotencyKey(NewJob job, IdempotencyKey key) {
    int claimed =
        jdbc.sql(
                """
                INSERT INTO idempotency_keys (dataset_id, key, request_hash, job_id, created_at)
                VALUES (:dataset, :key, :hash, :job, :now)
                ON CONFLICT (dataset_id, key) DO UPDATE
                   SET request_hash = excluded.request_hash, job_id = excluded.job_id,
                       created_at = excluded.created_at
                 WHERE idempotency_keys.created_at < :expired
                """)
            .param("dataset", job.datasetId())
            .param("key", key.key())
            .param("hash", key.requestHash())
            .param("job", job.id())
            .param("now", ts(job.createdAt()))
            .param("expired", ts(job.createdAt().minus(IdempotencyKey.WINDOW)))
            .update();
    if (claimed == 0) {
      throw new IdempotencyKeyTaken(key.key());
    }
  }

  /** The job a live idempotency key names, with the hash of the request that created it. */
  @Transactional(readOnly = true)
  public Optional<IdempotencyKey.Use> findIdempotencyKey(UUID datasetId, String key) {
    return jdbc.sql(
            """
            SELECT request_hash, job_id FROM idempotency_keys
             WHERE dataset_id = :dataset AND key = :key AND created_at >= :since
            """)
        .param("dataset", datasetId)
        .param("key", key)
        .param("since", ts(clock.instant().minus(IdempotencyKey.WINDOW)))
        .query(
            (rs, i) ->
                new IdempotencyKey.Use(
                    rs.getString("request_hash"), rs.getObject("job_id", UUID.class)))
        .optional();
  }

  @Transactional(readOnly = true)
  public Optional<JobRecord> find(UUID datasetId, UUID jobId) {
    return jdbc.sql(
            "SELECT " + JOB_COLUMNS + " FROM edit_jobs WHERE id = :id AND dataset_id = :dataset")
        .param("id", jobId)
        .param("dataset", datasetId)
        .query(this::jobRow)
        .optional()
        .map(row -> withChildren(List.of(row)).getFirst());
  }

  /** Newest first; {@code after} is the last id of the previous page. */
  @Transactional(readOnly = true)
  public JobPage list(UUID datasetId, Optional<JobStatus> status, int limit, Optional<UUID> after) {
    StringBuilder sql =
        new StringBuilder("SELECT " + JOB_COLUMNS + " FROM edit_jobs WHERE dataset_id = :dataset");
    Map<String, Object> params = new HashMap<>();
    params.put("dataset", datasetId);
    status.ifPresent(
        s -> {
          sql.append(" AND status = :status");
          params.put("status", s.wireName());
        });
    after.ifPresent(
        id -> {
          sql.append(" AND id < :after");
          params.put("after", id);
        });
    sql.append(" ORDER BY id DESC LIMIT :limit");
    params.put("limit", limit + 1);
    List<Row> rows = jdbc.sql(sql.toString()).params(params).query(this::jobRow).list();
    Optional<UUID> next = Optional.empty();
    if (rows.size() > limit) {
      rows = rows.subList(0, limit);
      next = Optional.of(rows.getLast().id());
    }
    return new JobPage(withChildren(rows), next);
  }

  /** Current status of each known id; used by waiters as the fallback to notifications. */
  @Transactional(readOnly = true)
  public Map<UUID, JobStatus> statuses(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    Map<UUID, JobStatus> result = new HashMap<>();
    jdbc.sql("SELECT id, status FROM edit_jobs WHERE id IN (:ids)")
        .param("ids", List.copyOf(ids))
        .query(
            rs -> {
              result.put(rs.getObject("id", UUID.class), status(rs.getString("status")));
            });
    return result;
  }

  /**
   * Starts an attempt: {@code queued → processing} with a lease, when the job is queued, due and
   * not cancel-requested. Empty when another worker won, the job is not due yet, or it is over. The
   * job records {@code model}, the model this worker calls.
   */
  @Transactional
  public Optional<Claim> claim(UUID jobId, String workerId, Duration lease, String model) {
    JobTransitions.check(QUEUED, PROCESSING);
    Instant now = clock.instant();
    Optional<Claim> claim =
        jdbc.sql(
                """
                UPDATE edit_jobs
                   SET status = 'processing', attempts = attempts + 1, lease_owner = :worker,
                       model = :model,
                       lease_expires_at = :lease, started_at = COALESCE(started_at, :now),
                       next_attempt_at = NULL, updated_at = :now, version = version + 1
                 WHERE id = :id AND status = 'queued' AND cancel_requested_at IS NULL
                   AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
                RETURNING id, dataset_id, attempts, prompt, n, size, quality, mime_type, model,
                          created_at, lease_expires_at
                """)
            .param("worker", workerId)
            .param("model", model)
            .param("lease", ts(now.plus(lease)))
            .param("now", ts(now))
            .param("id", jobId)
            .query(
                (rs, i) ->
                    new Claim(
                        rs.getObject("id", UUID.class),
                        rs.getObject("dataset_id", UUID.class),
                        rs.getInt("attempts"),
                        workerId,
                        rs.getString("prompt"),
                        rs.getInt("n"),
                        rs.getString("size"),
                        rs.getString("quality"),
                        rs.getString("mime_type"),
                        rs.getString("model"),
                        instant(rs, "created_at"),
                        instant(rs, "lease_expires_at")))
            .optional();
    claim.ifPresent(
        c -> {
          jdbc.sql(
                  """
                  INSERT INTO job_attempts (job_id, attempt, worker_id, started_at)
                  VALUES (:job, :attempt, :worker, :now)
                  """)
              .param("job", c.jobId())
              .param("attempt", c.attempt())
              .param("worker", workerId)
              .param("now", ts(now))
              .update();
          notifyStatus(c.jobId(), PROCESSING);
        });
    return claim;
  }

  @Transactional(readOnly = true)
  public boolean exists(UUID jobId) {
    return jdbc.sql("SELECT count(*) FROM edit_jobs WHERE id = :id")
            .param("id", jobId)
            .query(Long.class)
            .single()
        > 0;
  }

  /** The inputs of a job, in index order. */
  @Transactional(readOnly = true)
  public List<JobRecord.Input> inputs(UUID jobId) {
    return jdbc
        .sql(
            "SELECT job_id, idx, file_name, s3_key, source_url, mime_type, bytes FROM job_inputs"
                + " WHERE job_id = :job ORDER BY idx")
        .param("job", jobId)
        .query(this::inputRow)
        .list()
        .stream()
        .map(JobInputRow::input)
        .toList();
  }

  /** Remembers what a worker learned about a fetched URL input (type, size, digest). */
  @Transactional
  public void describeInput(UUID jobId, int index, String mimeType, long bytes, String sha256) {
    jdbc.sql(
            "UPDATE job_inputs SET mime_type = :mime, bytes = :bytes, sha256 = :sha"
                + " WHERE job_id = :job AND idx = :idx")
        .param("mime", mimeType)
        .param("bytes", bytes)
        .param("sha", sha256)
        .param("job", jobId)
        .param("idx", index)
        .update();
  }

  /** {@code processing → succeeded} with the outputs; false when the claim is no longer current. */
  @Transactional
  public boolean succeed(Claim claim, List<NewOutput> outputs, TokenUsage usage) {
    JobTransitions.check(PROCESSING, SUCCEEDED);
    Instant now = clock.instant();
    int updated =
        jdbc.sql(
                """
                UPDATE edit_jobs
                   SET status = 'succeeded', finished_at = :now, updated_at = :now,
                       lease_owner = NULL, lease_expires_at = NULL, error_code = NULL,
                       error_message = NULL, input_tokens = :in, output_tokens = :out,
                       total_tokens = :total, version = version + 1
                 WHERE id = :id AND status = 'processing' AND attempts = :attempt
                   AND lease_owner = :worker
                """)
            .param("now", ts(now))
            .param("in", usage.inputTokens())
            .param("out", usage.outputTokens())
            .param("total", usage.totalTokens())
            .param("id", claim.jobId())
            .param("attempt", claim.attempt())
            .param("worker", claim.workerId())
            .update();
    if (updated == 0) {
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
    finishAttempt(claim, "succeeded", null, null, now);
    notifyStatus(claim.jobId(), SUCCEEDED);
    return true;
  }

  /** {@code processing → failed}; false when the claim is no longer current. */
  @Transactional
  public boolean fail(Claim claim, ErrorCode code, String message) {
    JobTransitions.check(PROCESSING, FAILED);
    Instant now = clock.instant();
    int updated =
        jdbc.sql(
                """
                UPDATE edit_jobs
                   SET status = 'failed', finished_at = :now, updated_at = :now,
                       lease_owner = NULL, lease_expires_at = NULL, error_code = :code,
                       error_message = :message, version = version + 1
                 WHERE id = :id AND status = 'processing' AND attempts = :attempt
                   AND lease_owner = :worker
                """)
            .param("now", ts(now))
            .param("code", code.wireName())
            .param("message", truncate(message))
            .param("id", claim.jobId())
            .param("attempt", claim.attempt())
            .param("worker", claim.workerId())
            .update();
    if (updated == 0) {
      return false;
    }
    finishAttempt(claim, "failed", code, message, now);
    notifyStatus(claim.jobId(), FAILED);
    return true;
  }

  /**
   * {@code processing → queued} after a transient failure, due again at {@code at}; the outbox
   * entry written with it is what brings the job back, so the delay is held by the database and no
   * consumer thread sleeps. The error stays on the job as its last error.
   */
  @Transactional
  public boolean retryLater(Claim claim, ErrorCode code, String message, Instant at) {
    JobTransitions.check(PROCESSING, QUEUED);
    Instant now = clock.instant();
    int updated =
        jdbc.sql(
                """
                UPDATE edit_jobs
                   SET status = 'queued', next_attempt_at = :at, updated_at = :now,
                       lease_owner = NULL, lease_expires_at = NULL, error_code = :code,
                       error_message = :message, version = version + 1
                 WHERE id = :id AND status = 'processing' AND attempts = :attempt
                   AND lease_owner = :worker
                """)
            .param("at", ts(at))
            .param("now", ts(now))
            .param("code", code.wireName())
            .param("message", truncate(message))
            .param("id", claim.jobId())
            .param("attempt", claim.attempt())
            .param("worker", claim.workerId())
            .update();
    if (updated == 0) {
      return false;
    }
    finishAttempt(claim, "retry", code, message, now);
    enqueue(claim.jobId(), claim.attempt() + 1, at);
    notifyStatus(claim.jobId(), QUEUED);
    return true;
  }

  /**
   * Cancels a job that is still queued: {@code queued → canceled}. False when it was not queued
   * (any more).
   */
  @Transactional
  public boolean cancelQueued(UUID datasetId, UUID jobId) {
    JobTransitions.check(QUEUED, CANCELED);
    Instant now = clock.instant();
    int updated =
        jdbc.sql(
                """
                UPDATE edit_jobs
                   SET status = 'canceled', cancel_requested_at = COALESCE(cancel_requested_at, :now),
                       finished_at = :now, updated_at = :now, next_attempt_at = NULL,
                       version = version + 1
                 WHERE id = :id AND dataset_id = :dataset AND status = 'queued'
                """)
            .param("now", ts(now))
            .param("id", jobId)
            .param("dataset", datasetId)
            .update();
    if (updated == 1) {
      notifyStatus(jobId, CANCELED);
    }
    return updated == 1;
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
             WHERE id = :id AND status = 'processing' AND attempts = :attempt
               AND lease_owner = :worker
            RETURNING cancel_requested_at IS NOT NULL
            """)
        .param("lease", ts(clock.instant().plus(lease)))
        .param("id", claim.jobId())
        .param("attempt", claim.attempt())
        .param("worker", claim.workerId())
        .query(Boolean.class)
        .optional()
        .map(cancel -> cancel ? LeaseState.CANCEL_REQUESTED : LeaseState.HELD)
        .orElse(LeaseState.LOST);
  }

  /** Whether a cancel was requested for the job of this claim. */
  @Transactional(readOnly = true)
  public boolean isCancelRequested(Claim claim) {
    return jdbc.sql("SELECT cancel_requested_at IS NOT NULL FROM edit_jobs WHERE id = :id")
        .param("id", claim.jobId())
        .query(Boolean.class)
        .optional()
        .orElse(false);
  }

  /**
   * Asks for a job to stop: a queued job is canceled at once, a processing job is marked and its
   * worker cancels it at its next check; a finished job is left alone.
   *
   * @return the job's status afterwards, empty when the dataset has no such job
   */
  @Transactional
  public Optional<JobStatus> requestCancel(UUID datasetId, UUID jobId) {
    Optional<JobStatus> current =
        jdbc.sql("SELECT status FROM edit_jobs WHERE id = :id AND dataset_id = :dataset FOR UPDATE")
            .param("id", jobId)
            .param("dataset", datasetId)
            .query((rs, i) -> status(rs.getString(1)))
            .optional();
    if (current.isEmpty()) {
      return current;
    }
    return switch (current.get()) {
      case QUEUED -> {
        cancelQueued(datasetId, jobId);
        yield Optional.of(CANCELED);
      }
      case PROCESSING -> {
        jdbc.sql(
                "UPDATE edit_jobs SET cancel_requested_at = COALESCE(cancel_requested_at, :now),"
                    + " updated_at = :now WHERE id = :id")
            .param("now", ts(clock.instant()))
            .param("id", jobId)
            .update();
        yield current;
      }
      case SUCCEEDED, FAILED, CANCELED -> current;
    };
  }

  /** {@code processing → canceled} after a requested cancel; nothing of the attempt is kept. */
  @Transactional
  public boolean cancelProcessing(Claim claim) {
    JobTransitions.check(PROCESSING, CANCELED);
    Instant now = clock.instant();
    int updated =
        jdbc.sql(
                """
                UPDATE edit_jobs
                   SET status = 'canceled', finished_at = :now, updated_at = :now,
                       lease_owner = NULL, lease_expires_at = NULL, version = version + 1
                 WHERE id = :id AND status = 'processing' AND attempts = :attempt
                   AND lease_owner = :worker AND cancel_requested_at IS NOT NULL
                """)
            .param("now", ts(now))
            .param("id", claim.jobId())
            .param("attempt", claim.attempt())
            .param("worker", claim.workerId())
            .update();
    if (updated == 0) {
      return false;
    }
    finishAttempt(claim, "canceled", null, null, now);
    notifyStatus(claim.jobId(), CANCELED);
    return true;
  }

  /**
   * Gives a running attempt back (a worker shutting down): the job is queued again at once, or
   * canceled if that was asked for.
   */
  @Transactional
  public boolean release(Claim claim, String reason) {
    return requeueOrEnd(
        claim.jobId(), claim.attempt(), claim.workerId(), reason, Integer.MAX_VALUE);
  }

  /**
   * Returns jobs whose lease ran out (their worker died or hung) to the queue; {@code FOR UPDATE
   * SKIP LOCKED} lets any number of reapers run side by side. A job that has used all its attempts
   * fails instead, and a cancel-requested one is canceled.
   *
   * @return the ids of the jobs reaped
   */
  @Transactional
  public List<UUID> reapExpiredLeases(int limit, int maxAttempts) {
    List<Expired> expired =
        jdbc.sql(
                """
                SELECT id, attempts, lease_owner FROM edit_jobs
                 WHERE status = 'processing' AND lease_expires_at < :now
                 ORDER BY lease_expires_at
                 LIMIT :limit
                   FOR UPDATE SKIP LOCKED
                """)
            .param("now", ts(clock.instant()))
            .param("limit", limit)
            .query(
                (rs, i) ->
                    new Expired(
                        rs.getObject("id", UUID.class),
                        rs.getInt("attempts"),
                        rs.getString("lease_owner")))
            .list();
    for (Expired job : expired) {
      requeueOrEnd(
          job.id(),
          job.attempts(),
          job.owner(),
          "the lease of worker " + job.owner() + " ran out",
          maxAttempts);
    }
    return expired.stream().map(Expired::id).toList();
  }

  private boolean requeueOrEnd(
      UUID jobId, int attempt, String owner, String reason, int maxAttempts) {
    Instant now = clock.instant();
    String target =
        jdbc.sql(
                """
                UPDATE edit_jobs
                   SET status = CASE WHEN cancel_requested_at IS NOT NULL THEN 'canceled'
                                     WHEN attempts >= :max THEN 'failed'
                                     ELSE 'queued' END,
                       finished_at = CASE WHEN cancel_requested_at IS NOT NULL
                                            OR attempts >= :max THEN :now END,
                       error_code = CASE WHEN cancel_requested_at IS NULL AND attempts >= :max
                                         THEN 'retries_exhausted' ELSE error_code END,
                       error_message = CASE WHEN cancel_requested_at IS NULL AND attempts >= :max
                                            THEN :exhausted ELSE error_message END,
                       next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL,
                       updated_at = :now, version = version + 1
                 WHERE id = :id AND status = 'processing' AND attempts = :attempt
                   AND lease_owner = :owner
                RETURNING status
                """)
            .param("max", maxAttempts)
            .param("now", ts(now))
            .param(
                "exhausted",
                "attempt " + attempt + " was lost (" + reason + ") and no attempts are left")
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

  /**
   * Fails a job whose message the broker gave up on (delivery limit reached), whatever attempt
   * holds it; a job already finished is left alone.
   */
  @Transactional
  public boolean failPoisoned(UUID jobId, String message) {
    Instant now = clock.instant();
    Optional<String> from =
        jdbc.sql(
                """
                UPDATE edit_jobs e
                   SET status = 'failed', error_code = 'poison_message', error_message = :message,
                       finished_at = :now, updated_at = :now, lease_owner = NULL,
                       lease_expires_at = NULL, next_attempt_at = NULL, version = e.version + 1
                  FROM (SELECT id, status FROM edit_jobs WHERE id = :id FOR UPDATE) before
                 WHERE e.id = before.id AND before.status IN ('queued', 'processing')
                RETURNING before.status
                """)
            .param("message", truncate(message))
            .param("now", ts(now))
            .param("id", jobId)
            .query(String.class)
            .optional();
    if (from.isEmpty()) {
      return false;
    }
    JobTransitions.check(status(from.get()), FAILED);
    jdbc.sql(
            """
            UPDATE job_attempts SET finished_at = :now, outcome = 'failed',
                   error_code = 'poison_message', error_message = :message
             WHERE job_id = :job AND finished_at IS NULL
            """)
        .param("now", ts(now))
        .param("message", truncate(message))
        .param("job", jobId)
        .update();
    notifyStatus(jobId, FAILED);
    return true;
  }

  /** Throws when the database cannot be reached; used to wait out an outage. */
  public void ping() {
    jdbc.sql("SELECT 1").query(Integer.class).single();
  }

  private void finishAttempt(
      Claim claim, String outcome, ErrorCode code, String message, Instant now) {
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

  private void enqueue(UUID jobId, int attempt, Instant availableAt) {
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

  private void notifyStatus(UUID jobId, JobStatus status) {
    jdbc.sql("SELECT pg_notify(:channel, :payload)")
        .param("channel", JobNotifications.CHANNEL)
        .param("payload", JobNotifications.payload(jobId, status))
        .query(rs -> {});
  }

  private List<JobRecord> withChildren(List<Row> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<UUID> ids = rows.stream().map(Row::id).toList();
    Map<UUID, List<JobRecord.Input>> inputs = new HashMap<>();
    jdbc.sql(
            "SELECT job_id, idx, file_name, s3_key, source_url, mime_type, bytes FROM job_inputs"
                + " WHERE job_id IN (:ids) ORDER BY job_id, idx")
        .param("ids", ids)
        .query(this::inputRow)
        .list()
        .forEach(r -> inputs.computeIfAbsent(r.jobId(), k -> new ArrayList<>()).add(r.input()));
    Map<UUID, List<JobRecord.Output>> outputs = new HashMap<>();
    jdbc.sql(
            "SELECT job_id, idx, s3_key, mime_type, bytes, sha256 FROM job_outputs"
                + " WHERE job_id IN (:ids) ORDER BY job_id, idx")
        .param("ids", ids)
        .query(
            rs -> {
              outputs
                  .computeIfAbsent(rs.getObject("job_id", UUID.class), k -> new ArrayList<>())
                  .add(
                      new JobRecord.Output(
                          rs.getInt("idx"),
                          rs.getString("s3_key"),
                          rs.getString("mime_type"),
                          rs.getLong("bytes"),
                          rs.getString("sha256")));
            });
    return rows.stream()
        .map(
            r ->
                r.toRecord(
                    inputs.getOrDefault(r.id(), List.of()),
                    outputs.getOrDefault(r.id(), List.of())))
        .toList();
  }

  private Row jobRow(ResultSet rs, int rowNum) throws SQLException {
    return new Row(
        rs.getObject("id", UUID.class),
        rs.getObject("organization_id", UUID.class),
        rs.getObject("dataset_id", UUID.class),
        status(rs.getString("status")),
        rs.getString("prompt"),
        rs.getInt("n"),
        rs.getString("size"),
        rs.getString("quality"),
        Optional.ofNullable(rs.getString("mime_type")),
        rs.getString("model"),
        rs.getInt("attempts"),
        Optional.ofNullable(rs.getString("error_code")),
        Optional.ofNullable(rs.getString("error_message")),
        Optional.ofNullable(instant(rs, "cancel_requested_at")),
        instant(rs, "created_at"),
        Optional.ofNullable(instant(rs, "started_at")),
        Optional.ofNullable(instant(rs, "finished_at")));
  }

  private JobInputRow inputRow(ResultSet rs, int rowNum) throws SQLException {
    long bytes = rs.getLong("bytes");
    return new JobInputRow(
        rs.getObject("job_id", UUID.class),
        new JobRecord.Input(
            rs.getInt("idx"),
            rs.getString("file_name"),
            Optional.ofNullable(rs.getString("s3_key")),
            Optional.ofNullable(rs.getString("source_url")),
            Optional.ofNullable(rs.getString("mime_type")),
            rs.wasNull() ? Optional.empty() : Optional.of(bytes)));
  }

  private static JobStatus status(String value) {
    return JobStatus.fromWireName(value)
        .orElseThrow(() -> new IllegalStateException("unknown job status in database: " + value));
  }

  static OffsetDateTime ts(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static String truncate(String message) {
    if (message == null || message.length() <= MAX_ERROR_MESSAGE) {
      return message;
    }
    return message.substring(0, MAX_ERROR_MESSAGE - 1) + "…";
  }

  private record JobInputRow(UUID jobId, JobRecord.Input input) {}

  private record Expired(UUID id, int attempts, String owner) {}

  private record Row(
      UUID id,
      UUID organizationId,
      UUID datasetId,
      JobStatus status,
      String prompt,
      int n,
      String size,
      String quality,
      Optional<String> mimeType,
      String model,
      int attempts,
      Optional<String> errorCode,
      Optional<String> errorMessage,
      Optional<Instant> cancelRequestedAt,
      Instant createdAt,
      Optional<Instant> startedAt,
      Optional<Instant> finishedAt) {

    JobRecord toRecord(List<JobRecord.Input> inputs, List<JobRecord.Output> outputs) {
      return new JobRecord(
          id,
          organizationId,
          datasetId,
          status,
          prompt,
          n,
          size,
          quality,
          mimeType,
          model,
          attempts,
          errorCode,
          errorMessage,
          cancelRequestedAt,
          createdAt,
          startedAt,
          finishedAt,
          List.copyOf(inputs),
          List.copyOf(outputs));
    }
  }
}
