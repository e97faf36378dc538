package io.retouch.db.job;

import io.retouch.common.job.JobTransition;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Told of every job transition once its transaction committed (a rolled-back one is never
 * reported), in the process that made it: metrics count here.
 */
@FunctionalInterface
public interface TransitionListener {

  TransitionListener NONE = change -> {};

  void committed(Change change);

  /**
   * @param attempt the job's attempt count after the transition
   * @param errorCode for failures and retries
   * @param jobCreatedAt when the job was accepted
   * @param at when the transition happened
   */
  record Change(
      UUID jobId,
      JobTransition transition,
      int attempt,
      Optional<String> errorCode,
      Instant jobCreatedAt,
      Instant at) {}
}
