package io.retouch.worker.model;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Repeats {@link ModelLifecycle#check()} every {@code retouch.openai.lifecycle-check}. */
public final class ModelChecks implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ModelChecks.class);

  private final ScheduledExecutorService scheduler;

  public ModelChecks(ModelLifecycle lifecycle, Duration every) {
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("model-checks").factory());
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            lifecycle.check();
          } catch (RuntimeException e) {
            log.error("checking the models failed; the next check is in {}", every, e);
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
