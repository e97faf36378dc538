package io.retouch.db.fair;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The fair line's dispatch and the lost-message sweeper ({@code retouch.dispatch.*}).
 *
 * @param readyPerConsumer messages kept ready in the job queue per consumer attached to it (at
 *     least one message): lower is fairer to a dataset arriving behind a flood, higher hides the
 *     relay's reaction time from a freed slot
 * @param sweepInterval how often the sweeper compares the queue with the database
 * @param lostAfter how long a queued job's message must have been out before the sweeper may
 *     publish it again (only while the broker holds fewer messages than expected)
 * @param sweepLimit messages the sweeper publishes again per round at most
 */
@ConfigurationProperties("retouch.dispatch")
public record DispatchProperties(
    Double readyPerConsumer, Duration sweepInterval, Duration lostAfter, Integer sweepLimit) {

  public DispatchProperties {
    readyPerConsumer = readyPerConsumer == null ? 0.5 : readyPerConsumer;
    sweepInterval = sweepInterval == null ? Duration.ofSeconds(30) : sweepInterval;
    lostAfter = lostAfter == null ? Duration.ofMinutes(2) : lostAfter;
    sweepLimit = sweepLimit == null ? 500 : sweepLimit;
    if (readyPerConsumer <= 0) {
      throw new IllegalArgumentException("retouch.dispatch.ready-per-consumer must be positive");
    }
    if (sweepLimit < 1) {
      throw new IllegalArgumentException("retouch.dispatch.sweep-limit must be at least 1");
    }
  }
}
