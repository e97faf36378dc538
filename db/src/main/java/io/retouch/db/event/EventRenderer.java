package io.retouch.db.event;

import io.retouch.db.job.JobStore;
import java.util.Optional;

/** Turns an event row into what channels send: the event with its job as it stands. */
public final class EventRenderer {

  private final JobStore jobs;
  private final JobViews views;

  public EventRenderer(JobStore jobs, JobViews views) {
    this.jobs = jobs;
    this.views = views;
  }

  /** Empty when the job is gone (deleted with its dataset, say). */
  public Optional<EventView> render(JobEvent event) {
    return jobs.find(event.datasetId(), event.jobId())
        .map(
            job ->
                new EventView(
                    event.id(), event.type().wireName(), event.createdAt(), views.of(job)));
  }
}
