package io.retouch.db.job;

import static io.retouch.db.SqlValues.STATUSES;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Lets a new job into its dataset's share of the queue: checks the dataset's limit of queued plus
 * running jobs and gives the job its place in the fair line.
 *
 * <p>The place is a virtual start tag (start-time fair queueing; Hatchet's group round robin and
 * Kubernetes' API Priority and Fairness share the idea): the later of the dataset's next tag and
 * the line's virtual time, the tag of the last job handed to RabbitMQ; the dataset's next tag moves
 * on by {@code 1 / weight}. A dataset that floods gets tags far ahead of the virtual time; one that
 * arrives afterwards gets the virtual time itself, so its job is next. The tag row of the dataset
 * is locked until the transaction ends, which serializes a dataset's admissions and makes the limit
 * exact across any number of API replicas.
 */
public final class AdmissionControl {

  private final JdbcClient jdbc;
  private final int defaultMaxActive;

  /**
   * @param defaultMaxActive queued plus running jobs a dataset may have when it sets no own limit
   */
  public AdmissionControl(JdbcClient jdbc, int defaultMaxActive) {
    this.jdbc = jdbc;
    this.defaultMaxActive = defaultMaxActive;
  }

  /**
   * Admits the job {@code jobId} of {@code datasetId}, already written in the caller's transaction,
   * and gives it its fair key. Called last before the commit: the dataset's lock is then held for a
   * few statements, not for the whole recording of the job, so a burst of one dataset's submissions
   * queues on it only briefly.
   *
   * @throws DatasetLimitReached when the dataset is over its limit with this job (roll back)
   */
  public void admit(UUID datasetId, UUID jobId) {
    double key =
        jdbc.sql(
                """
                WITH clock AS (SELECT virtual_time FROM fair_clock),
                     share AS (SELECT 1.0 / weight AS step FROM datasets WHERE id = :dataset)
                INSERT INTO dataset_fair_tags AS t (dataset_id, next_key)
                SELECT :dataset, clock.virtual_time + share.step FROM clock, share
                ON CONFLICT (dataset_id) DO UPDATE
                   SET next_key = greatest(t.next_key + (SELECT step FROM share), excluded.next_key)
                RETURNING next_key - (SELECT step FROM share)
                """)
            .param("dataset", datasetId)
            .query(Double.class)
            .single();
    // the job is already written: the dataset may hold it and up to limit - 1 others
    Room room = room(datasetId, 1);
    if (room.active() > room.limit()) {
      throw new DatasetLimitReached(datasetId, room.limit());
    }
    jdbc.sql("UPDATE edit_jobs SET fair_key = :key WHERE id = :id")
        .param("key", key)
        .param("id", jobId)
        .update();
  }

  /**
   * Fails when the dataset is at its limit now, without taking its lock: the cheap early answer
   * before a request's inputs are stored. {@link #admit} decides for certain.
   */
  public void requireRoom(UUID datasetId) {
    Room room = room(datasetId, 0);
    if (room.active() >= room.limit()) {
      throw new DatasetLimitReached(datasetId, room.limit());
    }
  }

  /**
   * The dataset's limit and its queued or running jobs, counted up to the limit plus {@code extra}.
   */
  private Room room(UUID datasetId, int extra) {
    return jdbc.sql(
            """
                SELECT limits.max_active,
                       (SELECT count(*) FROM (SELECT 1 FROM edit_jobs
                                               WHERE dataset_id = :dataset
                                                 AND status IN (:queued, :processing)
                                               LIMIT limits.max_active + :extra) active) AS active
                  FROM (SELECT coalesce(max_active, :default) AS max_active
                          FROM datasets WHERE id = :dataset) limits
                """)
        .params(STATUSES)
        .param("dataset", datasetId)
        .param("default", defaultMaxActive)
        .param("extra", extra)
        .query((rs, i) -> new Room(rs.getInt("max_active"), rs.getInt("active")))
        .single();
  }

  private record Room(int limit, int active) {}
}
