package io.retouch.db.fair;

import static io.retouch.db.SqlValues.STATUSES;

import io.retouch.common.messaging.JobMessage;
import io.retouch.common.messaging.JobPublisher;
import io.retouch.common.messaging.JobPublisher.Outgoing;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Hands waiting jobs to RabbitMQ in fair order, a few at a time.
 *
 * <p>RabbitMQ delivers in the order it was given, so fairness is decided before a job is published:
 * only {@code target} messages are kept ready in the queue (a share of its consumers, enough that a
 * freed slot finds work at once), and the next ones are taken from the fair line by their tag. A
 * dataset arriving behind a flood therefore waits for about one free slot, not for the flood. Every
 * message still goes through the quorum queue, so at-least-once delivery, the delivery limit and
 * dead-lettering are RabbitMQ's as before; the line itself is rows in Postgres, so a crash loses
 * nothing (a job published but not marked is published again, which the guarded claim makes
 * harmless).
 *
 * <p>One dispatcher at a time (a transaction-scoped advisory lock): any number of processes run
 * one, and the count of ready messages stays true while one of them works.
 */
public final class FairLine {

  /** Serializes dispatchers and the sweeper across processes. */
  static final long LOCK = 0x7265_746f_7563_6801L;

  /** Pages per round; each either hands jobs over or newly excludes a dataset that hit its cap. */
  private static final int MAX_PAGES = 8;

  private static final UUID NO_ID = new UUID(0, 0);

  private final JdbcClient jdbc;

  public FairLine(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Takes the dispatch lock for the rest of the caller's transaction. */
  public void lock() {
    jdbc.sql("SELECT pg_advisory_xact_lock(:lock)").param("lock", LOCK).query().singleRow();
  }

  /** Jobs published (or due from a retry) and not started: what should be ready in RabbitMQ. */
  public int inBroker(Instant now) {
    return jdbc.sql("SELECT count(*) FROM edit_jobs WHERE status = :queued AND enqueued_at <= :now")
        .params(STATUSES)
        .param("now", now.atOffset(ZoneOffset.UTC))
        .query(Integer.class)
        .single();
  }

  /**
   * Publishes the next jobs of the line until {@code target} messages are ready, in the caller's
   * transaction, which must hold {@link #lock()}.
   *
   * @return how many were published
   */
  public int dispatch(int target, JobPublisher publisher, Instant now) {
    int room = target - inBroker(now);
    if (room <= 0) {
      return 0;
    }
    List<Waiting> picked = next(room);
    if (picked.isEmpty()) {
      return 0;
    }
    hand(picked.stream().map(Waiting::message).toList(), publisher, now);
    jdbc.sql("UPDATE fair_clock SET virtual_time = greatest(virtual_time, :key)")
        .param("key", picked.stream().mapToDouble(Waiting::key).max().orElseThrow())
        .update();
    return picked.size();
  }

  /**
   * Publishes messages of queued jobs with confirms and records when, in the caller's transaction:
   * the time the sweeper measures from.
   */
  void hand(List<Outgoing> messages, JobPublisher publisher, Instant now) {
    publisher.publishAll(messages);
    jdbc.sql("UPDATE edit_jobs SET enqueued_at = :now WHERE id IN (:ids)")
        .param("now", now.atOffset(ZoneOffset.UTC))
        .param("ids", messages.stream().map(m -> m.message().jobId()).toList())
        .update();
  }

  /**
   * The first {@code room} jobs of the line by tag, leaving out datasets at their cap of running
   * jobs (or paused): those are excluded in the query itself, so a capped dataset with a long
   * backlog at the front of the line never hides the others' jobs behind it.
   */
  private List<Waiting> next(int room) {
    Map<UUID, Integer> capRoom = capRoom();
    List<Waiting> picked = new ArrayList<>();
    Waiting after = null;
    for (int page = 0; page < MAX_PAGES && picked.size() < room; page++) {
      List<UUID> blocked =
          capRoom.entrySet().stream()
              .filter(e -> e.getValue() <= 0)
              .map(Map.Entry::getKey)
              .toList();
      List<Waiting> candidates = page(after, room - picked.size(), blocked);
      if (candidates.isEmpty()) {
        break;
      }
      for (Waiting w : candidates) {
        Integer left = capRoom.get(w.datasetId());
        if (left != null && left <= 0) {
          continue; // reached its cap earlier in this page
        }
        if (left != null) {
          capRoom.put(w.datasetId(), left - 1);
        }
        picked.add(w);
      }
      after = candidates.getLast();
    }
    return picked;
  }

  private List<Waiting> page(Waiting after, int limit, List<UUID> blocked) {
    return jdbc.sql(
            """
            SELECT id, dataset_id, fair_key, attempts, trace_parent FROM edit_jobs
             WHERE status = :queued AND enqueued_at IS NULL
               AND (fair_key, id) > (:key, :id)
               AND dataset_id NOT IN (:blocked)
             ORDER BY fair_key, id
             LIMIT :limit
               FOR UPDATE SKIP LOCKED
            """)
        .params(STATUSES)
        // tags start above 0 (virtual time 0 plus a positive step)
        .param("key", after == null ? -1.0 : after.key())
        .param("id", after == null ? NO_ID : after.jobId())
        .param("blocked", blocked.isEmpty() ? List.of(NO_ID) : blocked)
        .param("limit", limit)
        .query(
            (rs, i) ->
                new Waiting(
                    rs.getObject("id", UUID.class),
                    rs.getObject("dataset_id", UUID.class),
                    rs.getDouble("fair_key"),
                    rs.getInt("attempts") + 1,
                    Optional.ofNullable(rs.getString("trace_parent"))))
        .list();
  }

  /**
   * Room left under {@code datasets.max_running} for the capped datasets that have jobs in the line
   * (usually few: the cap is an operator's choice).
   */
  private Map<UUID, Integer> capRoom() {
    Map<UUID, Integer> room = new HashMap<>();
    jdbc.sql(
            """
            SELECT d.id, d.max_running - (SELECT count(*) FROM edit_jobs j
                                           WHERE j.dataset_id = d.id
                                             AND (j.status = :processing
                                                  OR (j.status = :queued
                                                      AND j.enqueued_at IS NOT NULL))) AS room
              FROM datasets d
             WHERE d.max_running IS NOT NULL
               AND EXISTS (SELECT 1 FROM edit_jobs w
                            WHERE w.dataset_id = d.id AND w.status = :queued
                              AND w.enqueued_at IS NULL)
            """)
        .params(STATUSES)
        .query((rs, i) -> Map.entry(rs.getObject("id", UUID.class), rs.getInt("room")))
        .list()
        .forEach(e -> room.put(e.getKey(), e.getValue()));
    return room;
  }

  /** A job in the line; {@code attempt} is the one its message starts. */
  private record Waiting(
      UUID jobId, UUID datasetId, double key, int attempt, Optional<String> traceParent) {

    Outgoing message() {
      return new Outgoing(new JobMessage(jobId, attempt), traceParent);
    }
  }
}
