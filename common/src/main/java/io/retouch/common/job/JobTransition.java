package io.retouch.common.job;

import io.retouch.common.event.EventType;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every named status change a job can go through, with the states it leaves from, the state it
 * reaches and the event it emits. The database applies each as one guarded update and writes its
 * event in the same transaction; {@link JobTransitions} is the table they must respect (a test per
 * constant says so).
 */
public enum JobTransition {
  /** Accepted: the job exists, queued. */
  SUBMIT(EnumSet.noneOf(JobStatus.class), JobStatus.QUEUED, EventType.QUEUED),
  /** A worker claims it for an attempt. */
  CLAIM(EnumSet.of(JobStatus.QUEUED), JobStatus.PROCESSING, EventType.PROCESSING),
  SUCCEED(EnumSet.of(JobStatus.PROCESSING), JobStatus.SUCCEEDED, EventType.SUCCEEDED),
  /** A permanent failure of the attempt, or the retry policy gave up. */
  FAIL(EnumSet.of(JobStatus.PROCESSING), JobStatus.FAILED, EventType.FAILED),
  /** A transient failure: queued again, due at the next attempt's time. */
  RETRY_LATER(EnumSet.of(JobStatus.PROCESSING), JobStatus.QUEUED, EventType.RETRYING),
  /** A cancel of a job no worker holds. */
  CANCEL_QUEUED(EnumSet.of(JobStatus.QUEUED), JobStatus.CANCELED, EventType.CANCELED),
  /** A worker ends its attempt because a cancel was requested. */
  CANCEL_RUNNING(EnumSet.of(JobStatus.PROCESSING), JobStatus.CANCELED, EventType.CANCELED),
  /** The attempt's worker is gone (lease ran out, or it handed the job back): queued at once. */
  REQUEUE_LOST(EnumSet.of(JobStatus.PROCESSING), JobStatus.QUEUED, EventType.RETRYING),
  /** The attempt's worker is gone and the job has no attempts or time left. */
  FAIL_LOST(EnumSet.of(JobStatus.PROCESSING), JobStatus.FAILED, EventType.FAILED),
  /** The attempt's worker is gone and a cancel had been requested. */
  CANCEL_LOST(EnumSet.of(JobStatus.PROCESSING), JobStatus.CANCELED, EventType.CANCELED),
  /** Its message was dead-lettered. */
  FAIL_POISONED(
      EnumSet.of(JobStatus.QUEUED, JobStatus.PROCESSING), JobStatus.FAILED, EventType.FAILED);

  private final Set<JobStatus> from;
  private final JobStatus to;
  private final EventType event;

  JobTransition(Set<JobStatus> from, JobStatus to, EventType event) {
    this.from = from;
    this.to = to;
    this.event = event;
  }

  /** The states the job may be in before; empty for {@link #SUBMIT}, which creates it. */
  public Set<JobStatus> from() {
    return EnumSet.copyOf(from.isEmpty() ? EnumSet.noneOf(JobStatus.class) : from);
  }

  public JobStatus to() {
    return to;
  }

  public EventType event() {
    return event;
  }
}
