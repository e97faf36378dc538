package io.retouch.worker.process;

import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.JobRecovery;
import io.retouch.db.outbox.OutboxRelay;
import io.retouch.worker.WorkerProperties;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The lease side of the worker: renewing the leases of running attempts, reaping jobs whose lease
 * ran out (whoever held them), and handing back what is still running at shutdown.
 */
@Configuration(proxyBeanMethods = false)
public class LeaseConfiguration {

  private static final Logger log = LoggerFactory.getLogger(LeaseConfiguration.class);

  /**
   * Stops after the job consumers (which wait out the grace period) and before the outbox relay, so
   * attempts handed back are published by this process on its way out.
   */
  static final int HAND_BACK_PHASE = SmartLifecycle.DEFAULT_PHASE - 1000;

  @Bean
  RunningJobs runningJobs(AttemptStore attempts, WorkerProperties props, Clock clock) {
    return new RunningJobs(attempts, props.lease(), clock);
  }

  @Bean
  SmartLifecycle leaseKeeper(
      RunningJobs running,
      JobRecovery recovery,
      WorkerProperties props,
      ObjectProvider<OutboxRelay> relay) {
    return new SmartLifecycle() {
      private ScheduledExecutorService scheduler;

      @Override
      public void start() {
        scheduler =
            Executors.newScheduledThreadPool(
                2, Thread.ofVirtual().name("lease-keeper-", 0).factory());
        long renew = props.leaseRenewal().toMillis();
        scheduler.scheduleWithFixedDelay(running::renewLeases, renew, renew, TimeUnit.MILLISECONDS);
        long reap = props.reapInterval().toMillis();
        scheduler.scheduleWithFixedDelay(
            () -> reap(recovery, props, relay), reap, reap, TimeUnit.MILLISECONDS);
      }

      @Override
      public void stop() {
        // after the consumers' grace period: what still runs goes back to the queue
        running.releaseAll("worker " + props.id() + " shut down");
        scheduler.shutdownNow();
        relay.ifAvailable(OutboxRelay::drain);
      }

      @Override
      public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
      }

      @Override
      public int getPhase() {
        return HAND_BACK_PHASE;
      }
    };
  }

  private static void reap(
      JobRecovery recovery, WorkerProperties props, ObjectProvider<OutboxRelay> relay) {
    try {
      List<java.util.UUID> reaped;
      do {
        reaped = recovery.reapExpiredLeases(100, props.maxAttempts(), props.deadline());
        if (!reaped.isEmpty()) {
          log.info("reaped {} job(s) whose lease ran out: {}", reaped.size(), reaped);
          relay.ifAvailable(OutboxRelay::wakeUp);
        }
      } while (reaped.size() == 100);
    } catch (RuntimeException e) {
      log.warn("lease reaper could not run: {}", e.getMessage());
    }
  }
}
