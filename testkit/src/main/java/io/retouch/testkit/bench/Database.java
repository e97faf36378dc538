package io.retouch.testkit.bench;

import io.retouch.testkit.services.PostgresService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The benchmark's reads of the stack's database, and the baselines it measures on Postgres. */
final class Database {

  /** A batch of jobs as the database recorded them. */
  record Batch(int jobs, int finished, int succeeded, Instant firstCreated, Instant lastFinished) {
    double seconds() {
      return Duration.between(firstCreated, lastFinished).toNanos() / 1e9;
    }
  }

  private final PostgresService postgres;

  Database(PostgresService postgres) {
    this.postgres = postgres;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(
        postgres.jdbcUrl(), postgres.username(), postgres.password());
  }

  Batch batch(Collection<UUID> ids) {
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement(
                """
                SELECT count(*),
                       count(*) FILTER (WHERE status IN ('succeeded', 'failed', 'canceled')),
                       count(*) FILTER (WHERE status = 'succeeded'),
                       min(created_at), max(finished_at)
                  FROM edit_jobs WHERE id = ANY (?)
                """)) {
      s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new Batch(rs.getInt(1), rs.getInt(2), rs.getInt(3), instant(rs, 4), instant(rs, 5));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until every job of {@code ids} has ended. */
  Batch awaitFinished(Collection<UUID> ids, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Batch batch = batch(ids);
      if (batch.finished() == ids.size()) {
        return batch;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            batch.finished() + " of " + ids.size() + " jobs finished within " + timeout);
      }
      pause(Duration.ofMillis(100));
    }
  }

  /** Waits until {@code count} of {@code ids} are processing (an attempt started). */
  void awaitProcessing(Collection<UUID> ids, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (processing(ids) < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            processing(ids) + " of " + count + " jobs processing within " + timeout);
      }
      pause(Duration.ofMillis(200));
    }
  }

  private int processing(Collection<UUID> ids) {
    return count(
        "SELECT count(*) FROM edit_jobs WHERE status = 'processing' AND id = ANY (?)", ids);
  }

  /**
   * Where a batch's time went, medians in seconds: acceptance to the first attempt's start, the
   * attempt (input download, model call, upload, commit).
   */
  record Phases(double queueWait, double attempt) {}

  Phases phases(Collection<UUID> ids) {
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement(
                """
                SELECT percentile_cont(0.5) WITHIN GROUP
                         (ORDER BY extract(epoch FROM started_at - created_at)),
                       percentile_cont(0.5) WITHIN GROUP
                         (ORDER BY extract(epoch FROM finished_at - started_at))
                  FROM edit_jobs WHERE id = ANY (?)
                """)) {
      s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new Phases(rs.getDouble(1), rs.getDouble(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Seconds from acceptance to the start of the job's first attempt. */
  double queueWaitSeconds(UUID id) {
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT extract(epoch FROM started_at - created_at) FROM edit_jobs WHERE id = ?")) {
      s.setObject(1, id);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getDouble(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Transactions committed in this database so far ({@code pg_stat_database}). */
  long commits() {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      // the statistics are a snapshot per transaction: a fresh one for each reading
      try (ResultSet rs =
          s.executeQuery(
              "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * This machine's ceiling of single-row commits per second: {@code connections} clients each
   * inserting one row per transaction for {@code duration}, as pgbench's simplest script does.
   */
  double commitCeiling(int connections, Duration duration) {
    createCommitTable();
    long end = System.nanoTime() + duration.toNanos();
    long start = System.nanoTime();
    List<Long> counts =
        Client.concurrently(
            connections,
            connections,
            () -> {
              long n = 0;
              try (Connection c = connect();
                  PreparedStatement insert =
                      c.prepareStatement("INSERT INTO bench_commits (at) VALUES (now())")) {
                c.setAutoCommit(true);
                while (System.nanoTime() < end) {
                  insert.executeUpdate();
                  n++;
                }
              }
              return n;
            });
    double seconds = (System.nanoTime() - start) / 1e9;
    return counts.stream().mapToLong(Long::longValue).sum() / seconds;
  }

  /** The table of {@link #commitCeiling} and {@link #commitOne}, whichever scenario runs first. */
  void createCommitTable() {
    try (Connection setup = connect();
        Statement s = setup.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS bench_commits (id bigserial PRIMARY KEY, at timestamptz)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One single-row commit on an open connection, the baseline of a submission's own commit. */
  static void commitOne(Connection open) {
    try (PreparedStatement insert =
        open.prepareStatement("INSERT INTO bench_commits (at) VALUES (now())")) {
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private int count(String sql, Collection<UUID> ids) {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    var ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
