package io.retouch.api.waiting;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.retouch.api.ApiProperties;
import io.retouch.api.events.EventStreams;
import io.retouch.db.job.JobStore;
import io.retouch.db.notify.JobNotificationListener;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Waiters, the notification listener that wakes them, and the fallback re-check. */
@Configuration(proxyBeanMethods = false)
public class WaitingConfiguration {

  /** {@code retouch.api.waiters}: requests waiting for their job (sync mode and long-poll). */
  @Bean
  JobWaiters jobWaiters(JobStore jobs, MeterRegistry registry) {
    JobWaiters waiters = new JobWaiters(jobs);
    Gauge.builder("retouch.api.waiters", waiters, JobWaiters::size)
        .description("Requests waiting for their job to finish")
        .register(registry);
    return waiters;
  }

  /** Only when serving HTTP: the bootstrap command has nobody waiting. */
  @Bean
  @ConditionalOnWebApplication
  JobNotificationListener jobNotificationListener(
      DataSource dataSource, JobWaiters waiters, EventStreams streams) {
    return new JobNotificationListener(
        dataSource,
        change -> {
          waiters.onStatusChange(change);
          streams.onStatusChange(change);
        },
        () -> {
          waiters.recheck();
          streams.wakeAll();
        });
  }

  @Bean
  @ConditionalOnWebApplication
  SmartLifecycle waiterRecheck(JobWaiters waiters, ApiProperties props) {
    return new SmartLifecycle() {
      private ScheduledExecutorService scheduler;

      @Override
      public void start() {
        scheduler =
            Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("waiter-recheck").factory());
        long millis = props.waitRecheck().toMillis();
        scheduler.scheduleWithFixedDelay(waiters::recheck, millis, millis, TimeUnit.MILLISECONDS);
      }

      @Override
      public void stop() {
        waiters.releaseAll();
        scheduler.shutdownNow();
      }

      @Override
      public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
      }

      @Override
      public int getPhase() {
        // stop before the web server drains, so held requests answer instead of timing out
        return Integer.MAX_VALUE;
      }
    };
  }
}
