package io.retouch.db.job;

import static io.retouch.common.job.JobStatus.CANCELED;
import static io.retouch.common.job.JobStatus.FAILED;
import static io.retouch.common.job.JobStatus.PROCESSING;
import static io.retouch.common.job.JobStatus.QUEUED;
import static io.retouch.common.job.JobStatus.SUCCEEDED;
import static io.retouch.db.job.JobSql.instant;
import static io.retouch.db.job.JobSql.status;
import static io.retouch.db.job.JobSql.ts;

import io.retouch.common.edit.EditOptionsCodec;
import io.retouch.common.event.EventType;
import io.retouch.common.job.JobStatus;
import io.retouch.common.job.JobTransition;
import io.retouch.common.webhook.JobWebhook;
import io.retouch.db.SqlValues;
import io.retouch.db.limits.LimitProperties;
import io.retouch.db.webhook.WebhookEndpointStore;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * Jobs as the API sees them: recording accepted jobs (with their inputs, first outbox entry and
 * idempotency key, in one transaction), reading and listing them, and the API's status changes
 * (cancel). What a worker does to a job is {@link AttemptStore}.
 */
public class JobStore {

  private static final String JOB_COLUMNS =
      "id, organization_id, dataset_id, status, prompt, n, size, quality, options, mime_type, model,"
          + " attempts, error_code, error_message, cancel_requested_at, created_at, started_at,"
          + " finished_at, webhook_url, webhook_events, next_attempt_at";

  private final JdbcClient jdbc;
  private final Clock clock;
  private final JobSql sql;
  private final Transitions transitions;
  private final AdmissionControl admission;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param listener told of every transition this store commits (metrics)
   */
  public JobStore(JdbcClient jdbc, Clock clock, TransitionListener listener) {
    this(jdbc, clock, listener, new AdmissionControl(jdbc, LimitProperties.DATASET_MAX_ACTIVE));
  }

  /**
   * @param listener told of every transition this store commits (metrics, the relay)
   * @param admission the dataset limit and the fair line's place of every new job
   */
  public JobStore(
      JdbcClient jdbc, Clock clock, TransitionListener listener, AdmissionControl admission) {
    this.admission = admission;
    this.jdbc = jdbc;
    this.clock = clock;
    this.sql = new JobSql(jdbc, clock);
    this.transitions = new Transitions(jdbc, clock, listener);
  }

  /**
   * Records a queued job and its inputs in one transaction, in its dataset's place of the fair line
   * (the relay publishes it from there).
   *
   * @throws DatasetLimitReached when its dataset has as many queued and running jobs as it may
   * @return the job as recorded, without reading it back
   */
  @Transactional
  public JobRecord create(NewJob job) {
    return create(job, Optional.empty());
  }

  /**
   * Like {@link #create(NewJob)}, also claiming an idempotency key for the job in the same
   * transaction; a key held by another job within the window rolls everything back with {@link
   * IdempotencyKeyTaken}.
   */
  @Transactional
  public JobRecord create(NewJob job, Optional<IdempotencyKey> idempotency) {
    jdbc.sql(
            """
            INSERT INTO edit_jobs (id, organization_id, dataset_id, status, prompt, n, size, quality,
                                   options, mime_type, model, webhook_url, webhook_events,
                                   trace_parent, created_at, updated_at)
            VALUES (:id, :org, :dataset, :status, :prompt, :n, :size, :quality,
                    CAST(:options AS jsonb), :mime, :model, :webhook,
                    string_to_array(:webhook_events, ','), :trace, :created, :created)
            """)
        .param("trace", job.traceParent().orElse(null))
        .param("webhook", job.webhook().map(w -> w.url().toString()).orElse(null))
        .param(
            "webhook_events", job.webhook().map(w -> SqlValues.eventTypes(w.events())).orElse(null))
        .param("id", job.id())
        .param("status", JobTransition.SUBMIT.to().wireName())
        .param("org", job.organizationId())
        .param("dataset", job.datasetId())
        .param("prompt", job.spec().prompt())
        .param("n", job.spec().n())
        .param("size", job.spec().size().wireName())
        .param("quality", job.spec().quality().wireName())
        .param("options", EditOptionsCodec.toJson(job.spec().options()))
        .param("mime", job.mimeType())
        .param("model", job.model())
        .param("created", ts(job.createdAt()))
        .update();
    for (NewJob.Input input : job.inputs()) {
      Map<String, Object> source = new HashMap<>();
      switch (input.source()) {
        case NewJob.Source.Stored stored -> {
          source.put("key", stored.s3Key());
          source.put("url", null);
          source.put("mime", stored.mimeType());
          source.put("bytes", stored.bytes());
          source.put("sha", stored.sha256());
        }
        case NewJob.Source.Fetched fetched -> {
          source.put("key", null);
          source.put("url", fetched.url().toString());
          source.put("mime", null);
          source.put("bytes", null);
          source.put("sha", null);
        }
      }
      jdbc.sql(
              """
              INSERT INTO job_inputs (job_id, idx, file_name, s3_key, source_url, mime_type, bytes,
                                      sha256)
              VALUES (:job, :idx, :name, :key, :url, :mime, :bytes, :sha)
              """)
          .params(source)
          .param("job", job.id())
          .param("idx", input.index())
          .param("name", input.fileName())
          .update();
    }
    // a job's own webhook is signed with the dataset's default secret: it exists before any event
    if (job.webhook().isPresent()) {
      WebhookEndpointStore.ensureDefaultSecret(jdbc, random, job.datasetId(), job.createdAt());
    }
    transitions.submitted(job.id(), job.datasetId(), job.createdAt());
    idempotency.ifPresent(key -> claimIdempotencyKey(job, key));
    admission.admit(job.datasetId(), job.id());
    return job.asQueued();
  }

  /**
   * Fails with {@link DatasetLimitReached} when the dataset is at its limit of queued and running
   * jobs now: asked before a request's inputs are stored, so a refused request stores nothing.
   * {@link #create} decides for certain.
   */
  public void requireRoom(UUID datasetId) {
    admission.requireRoom(datasetId);
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
    StringBuilder query =
        new StringBuilder("SELECT " + JOB_COLUMNS + " FROM edit_jobs WHERE dataset_id = :dataset");
    Map<String, Object> params = new HashMap<>();
    params.put("dataset", datasetId);
    status.ifPresent(
        s -> {
          query.append(" AND status = :status");
          params.put("status", s.wireName());
        });
    after.ifPresent(
        id -> {
          query.append(" AND id < :after");
          params.put("after", id);
        });
    query.append(" ORDER BY id DESC LIMIT :limit");
    params.put("limit", limit + 1);
    List<JobRecord> rows = jdbc.sql(query.toString()).params(params).query(this::jobRow).list();
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

  /**
   * Cancels a job that is still queued: {@code queued → canceled}. False when it was not queued
   * (any more).
   */
  @Transactional
  public boolean cancelQueued(UUID datasetId, UUID jobId) {
    return transitions
        .apply(
            JobTransition.CANCEL_QUEUED,
            jobId,
            "cancel_requested_at = COALESCE(cancel_requested_at, :now), finished_at = :now,"
                + " next_attempt_at = NULL",
            "AND dataset_id = :dataset",
            Map.of("dataset", datasetId),
            "",
            (rs, i) -> true)
        .isPresent();
  }

  /** Throws when the database cannot be reached; used to wait out an outage. */
  public void ping() {
    jdbc.sql("SELECT 1").query(Integer.class).single();
  }

  private List<JobRecord> withChildren(List<JobRecord> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<UUID> ids = rows.stream().map(JobRecord::id).toList();
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
                r.withChildren(
                    inputs.getOrDefault(r.id(), List.of()),
                    outputs.getOrDefault(r.id(), List.of())))
        .toList();
  }

  private JobRecord jobRow(ResultSet rs, int rowNum) throws SQLException {
    return new JobRecord(
        rs.getObject("id", UUID.class),
        rs.getObject("organization_id", UUID.class),
        rs.getObject("dataset_id", UUID.class),
        status(rs.getString("status")),
        JobSql.spec(rs),
        Optional.ofNullable(rs.getString("mime_type")),
        rs.getString("model"),
        rs.getInt("attempts"),
        Optional.ofNullable(instant(rs, "next_attempt_at")),
        Optional.ofNullable(rs.getString("error_code")),
        Optional.ofNullable(rs.getString("error_message")),
        Optional.ofNullable(instant(rs, "cancel_requested_at")),
        instant(rs, "created_at"),
        Optional.ofNullable(instant(rs, "started_at")),
        Optional.ofNullable(instant(rs, "finished_at")),
        webhook(rs),
        List.of(),
        List.of());
  }

  private static Optional<JobWebhook> webhook(ResultSet rs) throws SQLException {
    String url = rs.getString("webhook_url");
    if (url == null) {
      return Optional.empty();
    }
    Set<EventType> events = SqlValues.eventTypes(rs, "webhook_events").orElse(EventType.TERMINAL);
    return Optional.of(new JobWebhook(URI.create(url), events));
  }

  private JobInputRow inputRow(ResultSet rs, int rowNum) throws SQLException {
    long bytes = rs.getLong("bytes");
    Optional<Long> size = rs.wasNull() ? Optional.empty() : Optional.of(bytes);
    return new JobInputRow(
        rs.getObject("job_id", UUID.class),
        new JobRecord.Input(
            rs.getInt("idx"),
            rs.getString("file_name"),
            Optional.ofNullable(rs.getString("s3_key")),
            Optional.ofNullable(rs.getString("source_url")),
            Optional.ofNullable(rs.getString("mime_type")),
            size));
  }

  private record JobInputRow(UUID jobId, JobRecord.Input input) {}
}
