package io.retouch.common.webhook;

import io.retouch.common.event.EventType;
import java.net.URI;
import java.util.EnumSet;
import java.util.Set;

/**
 * A job's own webhook, from the submission's {@code webhook} and {@code webhook_events_filter}
 * (Replicate's names): the URL its events go to, signed with the dataset's default secret, and the
 * types it wants (the terminal ones unless the request names others).
 */
public record JobWebhook(URI url, Set<EventType> events) {

  public JobWebhook {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("a job webhook receives at least one event type");
    }
    events = Set.copyOf(EnumSet.copyOf(events));
  }
}
