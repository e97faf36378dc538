package io.retouch.worker.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.retouch.common.webhook.WebhookProperties;
import io.retouch.common.webhook.WebhookSignature;
import io.retouch.db.event.EventJson;
import io.retouch.db.event.EventRenderer;
import io.retouch.db.event.EventView;
import io.retouch.db.event.JobEventStore;
import io.retouch.db.webhook.AttemptResult;
import io.retouch.db.webhook.DeliveryStore;
import io.retouch.db.webhook.DueDelivery;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Sends due webhook deliveries, any number of workers side by side: each claims deliveries with
 * {@code FOR UPDATE SKIP LOCKED} under a lease, sends them (up to {@code concurrency} at once, one
 * virtual thread each) and records how each attempt went. A worker that dies mid-send lets its
 * leases lapse, and another sends those deliveries again: at least once, with the same {@code
 * webhook-id}, so receivers deduplicate.
 *
 * <p>The body is rendered at send time (result URLs presigned then) and signed as the exact bytes
 * sent, with every secret that signs at that moment (two during a rotation).
 */
public final class WebhookDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  private final DeliveryStore deliveries;
  private final JobEventStore events;
  private final EventRenderer renderer;
  private final WebhookSender sender;
  private final WebhookProperties props;
  private final String owner;
  private final Clock clock;
  private final Semaphore slots;
  private final MeterRegistry registry;
  private final LinkedBlockingQueue<Boolean> wakeUps = new LinkedBlockingQueue<>();
  private volatile boolean running;
  private ExecutorService sends;
  private Thread loop;

  public WebhookDispatcher(
      DeliveryStore deliveries,
      JobEventStore events,
      EventRenderer renderer,
      WebhookSender sender,
      WebhookProperties props,
      String owner,
      Clock clock,
      MeterRegistry registry) {
    this.registry = registry;
    this.deliveries = deliveries;
    this.events = events;
    this.renderer = renderer;
    this.sender = sender;
    this.props = props;
    this.owner = owner;
    this.clock = clock;
    this.slots = new Semaphore(props.concurrency());
  }

  /**
   * Claims what is due now and sends it, waiting until every claimed delivery is finished; tests
   * drive the dispatcher with this and a clock they move.
   *
   * @return how many deliveries were sent (or skipped)
   */
  public int sendDue() {
    List<DueDelivery> due = deliveries.claim(owner, props.concurrency(), props.lease());
    try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> pending = new ArrayList<>();
      for (DueDelivery delivery : due) {
        pending.add(each.submit(() -> deliver(delivery)));
      }
      for (Future<?> future : pending) {
        future.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return due.size();
  }

  /** Sends one claimed delivery and records the attempt. */
  void deliver(DueDelivery delivery) {
    Instant now = clock.instant();
    AttemptResult result;
    if (!delivery.targetEnabled()) {
      result = new AttemptResult.Skipped("the endpoint was turned off");
    } else {
      Optional<EventView> event = events.find(delivery.eventId()).flatMap(renderer::render);
      if (event.isEmpty()) {
        result = new AttemptResult.Skipped("the event's job no longer exists");
      } else {
        byte[] body = EventJson.bytes(event.get());
        String id = Long.toString(delivery.eventId());
        long timestamp = now.getEpochSecond();
        Map<String, String> headers =
            Map.of(
                WebhookSignature.ID_HEADER,
                id,
                WebhookSignature.TIMESTAMP_HEADER,
                Long.toString(timestamp),
                WebhookSignature.SIGNATURE_HEADER,
                WebhookSignature.header(id, timestamp, body, delivery.secrets().signing(now)));
        result = sender.send(URI.create(delivery.url()), headers, body);
      }
    }
    deliveries.finish(delivery, result);
    Counter.builder("retouch.webhooks.attempts")
        .description("Webhook delivery attempts, by how they ended")
        .tag("outcome", outcome(result))
        .register(registry)
        .increment();
    if (!(result instanceof AttemptResult.Delivered)) {
      log.debug("webhook delivery {} to {}: {}", delivery.id(), delivery.url(), result);
    }
  }

  private static String outcome(AttemptResult result) {
    return switch (result) {
      case AttemptResult.Delivered d -> "delivered";
      case AttemptResult.Failed f -> "failed";
      case AttemptResult.Gone g -> "gone";
      case AttemptResult.Refused r -> "refused";
      case AttemptResult.Skipped s -> "skipped";
    };
  }

  /** Looks for due deliveries now rather than at the next poll. */
  public void wakeUp() {
    wakeUps.offer(Boolean.TRUE);
  }

  private void run() {
    while (running) {
      int claimed = 0;
      try {
        int free = slots.availablePermits();
        if (free > 0) {
          for (DueDelivery delivery : deliveries.claim(owner, free, props.lease())) {
            slots.acquireUninterruptibly();
            claimed++;
            sends.submit(
                () -> {
                  try {
                    deliver(delivery);
                  } catch (RuntimeException e) {
                    // the lease lapses and the delivery is sent again
                    log.warn("webhook delivery {} not recorded: {}", delivery.id(), e.toString());
                  } finally {
                    slots.release();
                    wakeUp();
                  }
                });
          }
        }
      } catch (RuntimeException e) {
        log.warn("webhook dispatch skipped a round: {}", e.getMessage());
      }
      if (claimed == 0 || slots.availablePermits() == 0) {
        try {
          wakeUps.poll(props.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
          wakeUps.clear();
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  @Override
  public void start() {
    sends = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-", 0).factory());
    running = true;
    loop = Thread.ofVirtual().name("webhook-dispatcher").start(this::run);
  }

  /** Stops claiming, then lets the sends in flight finish (each is bounded by the timeout). */
  @Override
  public void stop() {
    running = false;
    wakeUp();
    try {
      loop.join(props.pollInterval().toMillis() + 1000);
      sends.shutdown();
      if (!sends.awaitTermination(props.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        log.warn("webhook sends still running at shutdown; their leases lapse and they are resent");
        sends.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
