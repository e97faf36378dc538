package io.retouch.worker.consume;

import java.util.Map;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The worker's RabbitMQ consumers on {@code /actuator/health} as {@code consumers}: up while every
 * container runs with its consumers, down when one is stopped (by the model gate, when no model is
 * usable, or on shutdown), so a worker that takes no jobs is not ready.
 */
public final class ConsumersHealthIndicator implements HealthIndicator {

  private final Map<String, AbstractMessageListenerContainer> containers;

  /**
   * @param containers by the name shown in the details
   */
  public ConsumersHealthIndicator(Map<String, AbstractMessageListenerContainer> containers) {
    this.containers = Map.copyOf(containers);
  }

  @Override
  public Health health() {
    boolean allRunning = true;
    Health.Builder health = Health.up();
    for (var entry : containers.entrySet()) {
      AbstractMessageListenerContainer container = entry.getValue();
      boolean running = container.isRunning() && container.isActive();
      allRunning &= running;
      health.withDetail(
          entry.getKey(),
          Map.of("running", running, "queues", String.join(",", container.getQueueNames())));
    }
    return allRunning ? health.build() : health.down().build();
  }
}
