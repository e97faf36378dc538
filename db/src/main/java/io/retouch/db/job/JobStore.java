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
