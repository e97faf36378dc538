package io.retouch.worker;

import io.retouch.common.job.RetryPolicy;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The worker ({@code retouch.worker.*}).
 *
 * @param id name recorded on attempts and leases; defaults to host and pid
 * @param concurrency jobs processed at once by this worker (each on a virtual thread)
 * @param lease how long a claimed job belongs to this worker without renewal; renewed every third
 *     of it while the job runs, so it bounds how long a crashed worker's jobs wait
 * @param reapInterval how often this worker looks for jobs whose lease ran out
 * @param shutdownGrace on SIGTERM, how long in-flight jobs may take to finish
 * @param maxAttempts attempts per job in all
 * @param initialBackoff delay after the first transient failure
 * @param maxBackoff cap of one delay
 * @param backoffMultiplier growth of the delay per attempt
 * @param jitter randomised fraction of each delay
 * @param deadline total time budget of a job, from its creation
 * @param databaseOutageWait how long a consumer holds a message while Postgres is unreachable
 *     before it hands the message back as a fresh copy (not counted against the delivery limit)
 */
@ConfigurationProperties("retouch.worker")
public record WorkerProperties(
    String id,
    Integer concurrency,
    Duration lease,
    Duration reapInterval,
    Duration shutdownGrace,
    Integer maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Double backoffMultiplier,
    Double jitter,
    Duration deadline,
    Duration databaseOutageWait) {

  public WorkerProperties {
    RetryPolicy defaults = RetryPolicy.defaults();
    id = id == null || id.isBlank() ? defaultId() : id;
    concurrency = concurrency == null ? 64 : concurrency;
    lease = lease == null ? Duration.ofMinutes(2) : lease;
    reapInterval = reapInterval == null ? Duration.ofSeconds(15) : reapInterval;
    if (lease.compareTo(Duration.ofSeconds(3)) < 0) {
      throw new IllegalArgumentException("retouch.worker.lease must be at least 3s");
    }
    shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(60) : shutdownGrace;
    maxAttempts = maxAttempts == null ? defaults.maxAttempts() : maxAttempts;
    initialBackoff = initialBackoff == null ? defaults.initialBackoff() : initialBackoff;
    maxBackoff = maxBackoff == null ? defaults.maxBackoff() : maxBackoff;
    backoffMultiplier = backoffMultiplier == null ? defaults.multiplier() : backoffMultiplier;
    jitter = jitter == null ? defaults.jitter() : jitter;
    deadline = deadline == null ? defaults.deadline() : deadline;
    databaseOutageWait = databaseOutageWait == null ? Duration.ofMinutes(5) : databaseOutageWait;
    if (databaseOutageWait.isNegative()) {
      throw new IllegalArgumentException(
          "retouch.worker.database-outage-wait must not be negative");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("retouch.worker.concurrency must be at least 1");
    }
  }

  /** Renewing at a third of the lease leaves two chances before it runs out. */
  public Duration leaseRenewal() {
    return lease.dividedBy(3);
  }

  public RetryPolicy retryPolicy() {
    return new RetryPolicy(
        maxAttempts, initialBackoff, backoffMultiplier, maxBackoff, jitter, deadline);
  }

  private static String defaultId() {
    String runtime = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
    return runtime + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
